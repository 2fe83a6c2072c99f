//! Sanctions programs as data: each program tag a list uses, the jurisdiction whose law it is, and
//! the authority that imposes its measures (executive order and CFR section; Council Regulation and
//! article; UK regulations and regulation numbers).
//!
//! The table is the one place a citation for a program is written, so a designation's evidence can
//! cite its own program instead of a generic text, and a licence naming a program no list uses is
//! refused. It is a leaf module: every stage may read it.

/// Program tags the lists Interdict reads use: OFAC's SDN program codes and the UN's regimes.
/// A tag outside this list is allowed (lists change) but warned about, since a misspelt tag
/// silently matches nothing.
pub const KNOWN_PROGRAMS: &[&str] = &[
    "561-Related",
    "BALKANS",
    "BALKANS-EO14033",
    "BELARUS",
    "BELARUS-EO14038",
    "BPI-RUSSIA-EO14024",
    "BURMA-EO14014",
    "BURUNDI",
    "CAATSA - IRAN",
    "CAATSA - RUSSIA",
    "CAR",
    "CMIC-EO13959",
    "CUBA",
    "CYBER2",
    "CYBER3",
    "DARFUR",
    "DPRK",
    "DPRK-NKSPEA",
    "DPRK2",
    "DPRK3",
    "DPRK4",
    "DRCONGO",
    "ELECTION-EO13848",
    "ETHIOPIA-EO14046",
    "FSE-SY",
    "FTO",
    "GLOMAG",
    "HIFPAA",
    "HK-EO13936",
    "HOSTAGES-EO14078",
    "HRIT-IR",
    "HRIT-SY",
    "IFCA",
    "IFSR",
    "ILLICIT-DRUGS-EO14059",
    "IRAN",
    "IRAN-CON-ARMS-EO",
    "IRAN-EO13846",
    "IRAN-EO13871",
    "IRAN-EO13876",
    "IRAN-EO13902",
    "IRAN-HR",
    "IRAN-TRA",
    "IRAQ2",
    "IRAQ3",
    "IRGC",
    "ISA",
    "LEBANON",
    "LIBYA2",
    "LIBYA3",
    "MAGNIT",
    "MALI-EO13882",
    "NICARAGUA",
    "NICARAGUA-NHRAA",
    "NPWMD",
    "NS-PLC",
    "PEESA",
    "PEESA-EO14039",
    "RUSSIA-EO14024",
    "RUSSIA-EO14065",
    "SDGT",
    "SDNT",
    "SDNTK",
    "SOMALIA",
    "SOUTH SUDAN",
    "SSIDES",
    "SUDAN-EO14098",
    "SYRIA",
    "SYRIA-CAESAR",
    "SYRIA-EO13894",
    "TCO",
    "UHRPA",
    "UKRAINE-EO13660",
    "UKRAINE-EO13661",
    "UKRAINE-EO13662",
    "UKRAINE-EO13685",
    "VENEZUELA",
    "VENEZUELA-EO13850",
    "VENEZUELA-EO13884",
    "WEST-BANK-EO14115",
    "YEMEN",
    "ZIMBABWE",
    // UN Security Council regimes, as the consolidated list names them.
    "Al-Qaida",
    "DRC",
    "GB",
    "Haiti",
    "Iran",
    "Iraq",
    "Libya",
    "Somalia",
    "SouthSudan",
    "Sudan",
    "Taliban",
    "Yemen",
];

/// One sanctions program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Program {
    /// The tag as lists write it, such as `DPRK3`.
    pub tag: &'static str,
    /// The jurisdiction whose law it is: `US`, `EU`, `UK` or `UN`.
    pub jurisdiction: &'static str,
    /// The legal authority of its designations and what they entail.
    pub authority: &'static str,
}

/// Shorthand for a table row.
const fn program(
    tag: &'static str,
    jurisdiction: &'static str,
    authority: &'static str,
) -> Program {
    Program {
        tag,
        jurisdiction,
        authority,
    }
}

/// The programs Interdict knows, one row per tag. OFAC tags are those of the SDN and consolidated
/// lists; the EU, UK and UN tags are the regime names the importers and hand-written facts use.
pub const PROGRAMS: &[Program] = &[
    program(
        "BALKANS",
        "US",
        "E.O. 13219, as amended by E.O. 13304; 31 CFR Part 588",
    ),
    program("BELARUS-EO14038", "US", "E.O. 14038 §1; 31 CFR Part 548"),
    program("BURMA-EO14014", "US", "E.O. 14014 §1; 31 CFR Part 525"),
    program(
        "CMIC-EO13959",
        "US",
        "E.O. 13959 §1, as amended by E.O. 14032; 31 CFR Part 586 (purchase or sale of publicly traded securities, not blocking)",
    ),
    program(
        "CUBA",
        "US",
        "31 CFR 515.201 (Cuban Assets Control Regulations)",
    ),
    program(
        "CYBER2",
        "US",
        "E.O. 13694 §1, as amended by E.O. 13757; 31 CFR 578.201",
    ),
    program("DPRK", "US", "E.O. 13551 §1; 31 CFR 510.201"),
    program(
        "DPRK-NKSPEA",
        "US",
        "North Korea Sanctions and Policy Enhancement Act of 2016 §104 (22 U.S.C. 9214); 31 CFR 510.201",
    ),
    program("DPRK2", "US", "E.O. 13687 §1; 31 CFR 510.201"),
    program("DPRK3", "US", "E.O. 13722 §2; 31 CFR 510.201"),
    program("DPRK4", "US", "E.O. 13810 §1; 31 CFR 510.201"),
    program("ETHIOPIA-EO14046", "US", "E.O. 14046 §2; 31 CFR Part 550"),
    program(
        "EU-DPRK",
        "EU",
        "Council Regulation (EU) 2017/1509, Art. 34 (freezing of funds and economic resources)",
    ),
    program(
        "EU-IRN",
        "EU",
        "Council Regulation (EU) No 267/2012, Art. 23 (freezing of funds and economic resources)",
    ),
    program(
        "EU-PRK",
        "EU",
        "Council Regulation (EU) 2017/1509, Art. 34 (freezing of funds and economic resources)",
    ),
    program(
        "EU-RUSSIA",
        "EU",
        "Council Regulation (EU) No 269/2014, Art. 2 (freezing of funds and economic resources)",
    ),
    program(
        "EU-RUSSIA-SECTORAL",
        "EU",
        "Council Regulation (EU) No 833/2014, Art. 5 (financing restrictions)",
    ),
    program(
        "EU-SYR",
        "EU",
        "Council Regulation (EU) No 36/2012, Art. 14 (freezing of funds and economic resources)",
    ),
    program(
        "EU-TERR",
        "EU",
        "Council Regulation (EC) No 2580/2001, Art. 2 (freezing of funds)",
    ),
    program(
        "EU-UKR",
        "EU",
        "Council Regulation (EU) No 269/2014, Art. 2 (freezing of funds and economic resources)",
    ),
    program(
        "EU-ZWE",
        "EU",
        "Council Regulation (EC) No 314/2004, Art. 6 (freezing of funds and economic resources)",
    ),
    program(
        "FTO",
        "US",
        "Immigration and Nationality Act §219 (8 U.S.C. 1189); 31 CFR 597.201",
    ),
    program(
        "GLOMAG",
        "US",
        "E.O. 13818 §1 (Global Magnitsky); 31 CFR Part 583",
    ),
    program(
        "ILLICIT-DRUGS-EO14059",
        "US",
        "E.O. 14059 §1; 31 CFR Part 599",
    ),
    program(
        "IRAN",
        "US",
        "E.O. 13599 §1 (Government of Iran and Iranian financial institutions); 31 CFR 560.211",
    ),
    program("IRAQ2", "US", "E.O. 13315; 31 CFR Part 576"),
    program("NPWMD", "US", "E.O. 13382 §1; 31 CFR 544.201"),
    program("RUSSIA-EO14024", "US", "E.O. 14024 §1; 31 CFR 587.201"),
    program("SDGT", "US", "E.O. 13224 §1; 31 CFR 594.201"),
    program("SDNT", "US", "E.O. 12978 §1; 31 CFR Part 536"),
    program(
        "SDNTK",
        "US",
        "Foreign Narcotics Kingpin Designation Act (21 U.S.C. 1904); 31 CFR Part 598",
    ),
    program(
        "SYRIA",
        "US",
        "E.O. 13338, 13572, 13573 and 13582; 31 CFR Part 542",
    ),
    program(
        "TCO",
        "US",
        "E.O. 13581 §1 (transnational criminal organizations); 31 CFR Part 590",
    ),
    program(
        "UK-DPRK",
        "UK",
        "The Democratic People's Republic of Korea (Sanctions) (EU Exit) Regulations 2019, regs. 11-15 (asset freeze)",
    ),
    program(
        "UK-RUSSIA",
        "UK",
        "The Russia (Sanctions) (EU Exit) Regulations 2019, regs. 11-15 (asset freeze)",
    ),
    program("UKRAINE-EO13660", "US", "E.O. 13660 §1; 31 CFR 589.201"),
    program("UKRAINE-EO13661", "US", "E.O. 13661 §1; 31 CFR 589.201"),
    program(
        "UKRAINE-EO13662",
        "US",
        "E.O. 13662 §1; 31 CFR 589.201; on the Sectoral Sanctions Identifications list, the directive named in the entry (Directives 1-4 under E.O. 13662)",
    ),
    program("UKRAINE-EO13685", "US", "E.O. 13685 §1; 31 CFR 589.201"),
    program(
        "UN-DPRK",
        "UN",
        "UN Security Council resolution 1718 (2006), para. 8(d), and successor resolutions",
    ),
    program("VENEZUELA-EO13850", "US", "E.O. 13850 §1; 31 CFR Part 591"),
];

/// The program with tag `tag`, if Interdict knows it.
pub fn find(tag: &str) -> Option<&'static Program> {
    PROGRAMS.iter().find(|p| p.tag == tag)
}

/// The authority of a designation under `tag` on a list read by `jurisdiction`; the UN's `DPRK`
/// regime name is told apart from OFAC's `DPRK` tag by the list's jurisdiction.
///
/// It runs for every designation a decision cites, so it compares the qualified tag
/// (`EU-PRK`) in place rather than building it.
pub fn authority(tag: &str, jurisdiction: &str) -> Option<&'static str> {
    // `JURISDICTION-TAG`, told by its length and its dash before any text is compared: most
    // rows differ in length, so the scan rarely compares a byte of text.
    let qualified = |p: &&Program| {
        p.tag.len() == jurisdiction.len() + 1 + tag.len()
            && p.tag.as_bytes().get(jurisdiction.len()) == Some(&b'-')
            && p.tag.starts_with(jurisdiction)
            && p.tag.ends_with(tag)
    };
    PROGRAMS
        .iter()
        .find(qualified)
        .or_else(|| find(tag).filter(|p| p.jurisdiction == jurisdiction))
        .map(|p| p.authority)
}

/// The jurisdiction whose law a list is: `OFAC-SDN` and `OFAC-CONS` are US lists.
pub fn list_jurisdiction(list: &str) -> &str {
    if list.starts_with("OFAC") { "US" } else { list }
}

#[cfg(test)]
mod tests {
    use super::authority;

    #[test]
    fn a_listing_cites_the_authority_of_its_own_jurisdictions_program() {
        // The EU's regime names are qualified in the table; OFAC's tags are not.
        assert_eq!(
            authority("RUSSIA-SECTORAL", "EU"),
            Some("Council Regulation (EU) No 833/2014, Art. 5 (financing restrictions)")
        );
        assert_eq!(
            authority("DPRK", "US"),
            Some("E.O. 13551 §1; 31 CFR 510.201")
        );
        // The UN's `DPRK` regime is not OFAC's `DPRK` program.
        assert_eq!(
            authority("DPRK", "UN"),
            Some(
                "UN Security Council resolution 1718 (2006), para. 8(d), and successor resolutions"
            )
        );
        assert_eq!(authority("DPRK3", "EU"), None);
        assert_eq!(authority("NO-SUCH-PROGRAM", "US"), None);
    }
}
