//! The `interdict` command: check policies and decide transactions from the command line.
//!
//! Exit codes: 0 success, 1 the policies have problems (`check`), 2 the inputs could not be used.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use interdict::audit::{self, AuditStore, FactsBundle, sqlite::SqliteStore};
use interdict::diagnostic::Severity;
use interdict::eval::DecideOptions;
use interdict::facts::FactsDocument;
use interdict::lists;
use interdict::record::{RecordedOptions, now_utc};
use interdict::{Date, Facts, FactsError, PolicyError, PolicySet, explain, screen, testing};

/// Interdict: a sanctions-compliance policy engine.
#[derive(Debug, Parser)]
#[command(name = "interdict", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The largest YAML or JSON facts file read, in bytes (default 104857600, 100 MiB). Loading
    /// takes about eight times the file in memory: raise it knowingly, or import large stores
    /// into a snapshot (`import --out`).
    #[arg(long, global = true, value_name = "BYTES")]
    max_facts_bytes: Option<u64>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check policy files (or folders of `.policy` files) for errors.
    Check {
        /// Policy files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Output format: `text` (rendered, on stderr) or `json` (one document on stdout).
        #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
        format: CheckFormat,
    },
    /// Rewrite policy files (or folders of `.policy` files) in the canonical layout.
    Fmt {
        /// Policy files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Change nothing: print a diff for each file that is not formatted, and exit 1 if any.
        #[arg(long)]
        check: bool,
    },
    /// Screen names against sanctions lists: the best matches, each with why it matched.
    Screen {
        /// Lists as KIND=PATH: `ofac=FOLDER`, `un=FILE.xml`, `eu=FILE.xml`, `uk=FILE.csv`,
        /// `ftm=FILE.json`; repeatable.
        #[arg(long = "list", value_parser = parse_list, required = true)]
        lists: Vec<ListSource>,
        /// Use a list even when it holds fewer entries than any real release of its kind (an
        /// excerpt); without it such a list is refused as a broken download.
        #[arg(long)]
        accept_small_lists: bool,
        /// The lowest score (0-1) reported.
        #[arg(long, default_value_t = screen::DEFAULT_THRESHOLD)]
        threshold: f64,
        /// The most matches reported per query.
        #[arg(long, default_value_t = 5)]
        limit: usize,
        /// `text` for people; `json` prints one object per query per line.
        #[arg(long, value_enum, default_value_t = ScreenFormat::Text)]
        format: ScreenFormat,
        /// A file with one query name per line, or (`.jsonl`) one record a line: `{"id", "name",
        /// "aliases", "kind", "birth_date", "gender", "nationality", "country", "identifiers",
        /// "addresses"}`, every field but `name` optional; or (`.csv`) a header row naming the
        /// columns `name`, `id`, `aliases` (`;`-separated), `kind`, `birth_date`, `gender`,
        /// `nationality`, `country`, `identifiers` (`type:value;...`) or an identifier type
        /// (`passport`, `imo`, `bic` ...), then one record a row.
        #[arg(long, conflicts_with = "names")]
        input: Option<PathBuf>,
        /// A register of reviewed alerts (see `eval --dispositions`); parties are named by the
        /// records' `id` or by name.
        #[arg(long)]
        dispositions: Option<PathBuf>,
        /// The day dispositions are applied on (YYYY-MM-DD); today by default.
        #[arg(long = "as-of", value_parser = parse_date)]
        as_of: Option<Date>,
        /// Names to screen.
        #[arg(required_unless_present = "input")]
        names: Vec<String>,
    },
    /// Import sanctions lists and print what was read and what could not be used.
    Import {
        /// Lists as KIND=PATH[@DATE]: `ofac=FOLDER@2024-05-03`, `un=FILE.xml`, `eu=FILE.xml`,
        /// `uk=FILE.csv`, `ftm=FILE.json`; repeatable. `@DATE` is the publication date where the file states none.
        #[arg(long = "list", value_parser = parse_list, required = true)]
        lists: Vec<ListSource>,
        /// Earlier releases of a list, as KIND=PATH@DATE, read only to bound each entry's unknown
        /// listing date by the first release that holds it; repeatable.
        #[arg(long = "earlier", value_parser = parse_list)]
        earlier: Vec<ListSource>,
        /// Write the entity store as a binary snapshot to this file; `eval`, `report` and the
        /// library open it without parsing, and its digest is the one decisions cite.
        #[arg(long = "out")]
        out: Option<PathBuf>,
        /// A facts file (your entities, relations and transactions) to store with the lists.
        #[arg(long = "facts")]
        facts: Option<PathBuf>,
        /// Use a list even when it holds fewer entries than any real release of its kind (an
        /// excerpt); without it such a list is refused as a broken download.
        #[arg(long)]
        accept_small_lists: bool,
    },
    /// Run policy test suites (`*.test.yaml` files, or folders holding them).
    Test {
        /// Suite files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Decide every transaction in a facts file.
    Eval {
        /// Policy files or folders; repeat or list several.
        #[arg(long = "policy", required = true, num_args = 1..)]
        policies: Vec<PathBuf>,
        /// The facts file (YAML, or JSON when it ends in `.json`).
        #[arg(long)]
        facts: PathBuf,
        /// A sanctions list to load with the facts, as KIND=PATH[@DATE]: `ofac=FOLDER@2024-05-03`,
        /// `un=FILE.xml`, `eu=FILE.xml`, `uk=FILE.csv`, `ftm=FILE.json`; repeatable. `@DATE` is
        /// the publication date where the file states none; without one, OFAC listing dates stay
        /// unbounded.
        #[arg(long = "list", value_parser = parse_list)]
        lists: Vec<ListSource>,
        /// Earlier releases of a list, as KIND=PATH@DATE, read only to bound each entry's unknown
        /// listing date by the first release that holds it; repeatable.
        #[arg(long = "earlier", value_parser = parse_list)]
        earlier: Vec<ListSource>,
        /// Use a list even when it holds fewer entries than any real release of its kind (an
        /// excerpt); without it such a list is refused as a broken download.
        #[arg(long)]
        accept_small_lists: bool,
        /// A file of licences (`licences:` records, e.g. `policies/licences/general.yaml`) the
        /// transactions may rely on, besides those in the facts; repeatable.
        #[arg(long = "licences")]
        licence_files: Vec<PathBuf>,
        /// With lists: the score (0-1) at which a party's name matches a listed one.
        #[arg(long, default_value_t = screen::DEFAULT_THRESHOLD)]
        threshold: f64,
        /// Decide as of this day instead of each transaction's own date (YYYY-MM-DD).
        #[arg(long = "as-of", value_parser = parse_date)]
        as_of: Option<Date>,
        /// Decide only this transaction.
        #[arg(long)]
        transaction: Option<String>,
        /// With lists: a register of reviewed alerts (YAML, or JSON for `.json`); cleared alerts
        /// do not fire again, true matches count as confirmed.
        #[arg(long, requires = "lists")]
        dispositions: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Add to each block and review what would change it (`counterfactuals` in JSON/YAML).
        #[arg(long)]
        counterfactuals: bool,
        /// Append the decisions, with everything needed to replay them, to this audit database
        /// (SQLite; created if missing).
        #[arg(long = "record", value_name = "DB")]
        record: Option<PathBuf>,
    },
    /// Write the report a legal reviewer reads: one self-contained HTML page with the verdicts,
    /// reasons, legal provisions, evidence, the ownership graph and what would change each
    /// decision.
    Report {
        /// Policy files or folders; repeat or list several.
        #[arg(long = "policy", required = true, num_args = 1..)]
        policies: Vec<PathBuf>,
        /// The facts file (YAML, or JSON when it ends in `.json`).
        #[arg(long)]
        facts: PathBuf,
        /// A sanctions list to load with the facts, as KIND=PATH; repeatable.
        #[arg(long = "list", value_parser = parse_list)]
        lists: Vec<ListSource>,
        /// Use a list even when it holds fewer entries than any real release of its kind (an
        /// excerpt); without it such a list is refused as a broken download.
        #[arg(long)]
        accept_small_lists: bool,
        /// A file of licences the transactions may rely on; repeatable.
        #[arg(long = "licences")]
        licence_files: Vec<PathBuf>,
        /// Decide as of this day instead of each transaction's own date (YYYY-MM-DD).
        #[arg(long = "as-of", value_parser = parse_date)]
        as_of: Option<Date>,
        /// Report only these transactions (repeatable); all of them when absent.
        #[arg(long = "transaction")]
        transactions: Vec<String>,
        /// Where to write the HTML; standard output when absent.
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
    /// Take recorded decisions again and report whether each gives the same bytes.
    Replay {
        /// The audit database.
        db: PathBuf,
        /// The decisions to replay (all when none).
        ids: Vec<i64>,
    },
    /// Inspect an audit database.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Check the chain of hashes and every stored blob; exit 1 if anything was changed.
    Verify {
        /// The audit database.
        db: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ScreenFormat {
    /// A few lines per query for people.
    Text,
    /// `{"query": ..., "matches": [...]}`, one line per query.
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CheckFormat {
    /// `file:line:col: error[CODE]: message`, the line and a caret.
    Text,
    /// `{"diagnostics": [...], "errors": N, "warnings": N}` for editors and CI.
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Format {
    /// A memo for people.
    Text,
    /// One JSON document with a `decisions` array.
    Json,
    /// The same content as YAML.
    Yaml,
}

/// A list named on the command line: `KIND=PATH[,SIDE][@DATE]`.
type ListSource = lists::Release;

fn parse_list(text: &str) -> Result<ListSource, String> {
    text.parse()
}

/// The lists named, each accepted even when implausibly small if the user said so.
fn accepting(mut sources: Vec<ListSource>, accept_small: bool) -> Vec<ListSource> {
    for source in &mut sources {
        source.accept_small = accept_small;
    }
    sources
}

/// Prints what an import could not use, or is worth knowing, on stderr: commands other than
/// `import` load lists without printing their report, and an orphan row or a bad date must not
/// pass unsaid.
fn warn_import(report: &lists::ImportReport) {
    let text: String = report
        .warnings()
        .iter()
        .map(|w| format!("warning: {w}\n"))
        .collect();
    emit(&mut std::io::stderr(), &text);
}

/// A command's failure: what to print and the exit code.
struct Failure {
    message: String,
    code: u8,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(output) => {
            emit(&mut std::io::stdout(), &output);
            ExitCode::SUCCESS
        }
        Err(failure) => {
            emit(&mut std::io::stderr(), &failure.message);
            ExitCode::from(failure.code)
        }
    }
}

/// Writes `text`, ignoring a closed pipe (`interdict eval ... | head`): the reader has gone, and
/// a panic or an error message about it would help nobody.
fn emit(out: &mut impl std::io::Write, text: &str) {
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

fn run(cli: Cli) -> Result<String, Failure> {
    if let Some(bytes) = cli.max_facts_bytes {
        interdict::facts::set_facts_limit(bytes);
    }
    match cli.command {
        Command::Check { paths, format } => check(&paths, format),
        Command::Test { paths } => run_suites(&paths),
        Command::Import {
            lists,
            earlier,
            out,
            facts,
            accept_small_lists,
        } => import(
            &accepting(lists, accept_small_lists),
            &accepting(earlier, accept_small_lists),
            facts.as_deref(),
            out.as_deref(),
        ),
        Command::Replay { db, ids } => replay(&db, &ids),
        Command::Audit {
            command: AuditCommand::Verify { db },
        } => verify(&db),
        Command::Screen {
            lists,
            accept_small_lists,
            threshold,
            limit,
            format,
            input,
            dispositions,
            as_of,
            names,
        } => {
            let records = match input {
                Some(file) => read_screen_input(&file)?,
                None => names
                    .iter()
                    .map(|n| screen::ScreenRecord::named(n))
                    .collect(),
            };
            let settings = ScreenSettings {
                threshold,
                limit,
                format,
                dispositions,
                as_of,
            };
            screen_records(&accepting(lists, accept_small_lists), &settings, &records)
        }
        Command::Fmt { paths, check } => fmt(&paths, check),
        Command::Eval {
            policies,
            facts,
            lists: sources,
            earlier,
            accept_small_lists,
            licence_files,
            threshold,
            as_of,
            transaction,
            format,
            record,
            dispositions,
            counterfactuals,
        } => {
            let sources = accepting(sources, accept_small_lists);
            let earlier = accepting(earlier, accept_small_lists);
            let policies = PolicySet::load(&policies).map_err(policy_failure)?;
            // Opened before deciding, so a database that cannot take the record stops the run.
            let mut store = record.as_deref().map(open_store).transpose()?;
            let path = facts;
            let (facts, bundle) =
                load_facts(&path, &sources, &earlier, &licence_files, store.is_some())?;
            policies.check_facts(&facts).map_err(facts_failure)?;
            let register = match &dispositions {
                Some(path) => screen::Dispositions::load(path, &facts).map_err(|e| Failure {
                    message: format!("error: {e}\n"),
                    code: 2,
                })?,
                None => screen::Dispositions::default(),
            };
            // With lists loaded, parties that are not on one are screened against those that are.
            let screening = (!sources.is_empty())
                .then(|| screen::Screening::new(&facts, threshold).with_dispositions(register));
            let options = DecideOptions {
                as_of,
                screening: screening.as_ref(),
                ..DecideOptions::default()
            };
            let decisions = match &transaction {
                Some(id) => {
                    let found = facts.transaction(id).ok_or_else(|| Failure {
                        message: format!("error: no transaction `{id}` in {}\n", facts.name()),
                        code: 2,
                    })?;
                    vec![policies.decide_with(&facts, found, options)]
                }
                None => policies.decide_all_with(&facts, options),
            };
            if let (Some(store), Some(bundle)) = (store.as_mut(), &bundle) {
                let recorded = RecordedOptions {
                    as_of,
                    screening: screening.is_some().then_some(threshold),
                    dispositions: None,
                };
                // The register screening applied, so a replay applies the same one.
                let register = match (&dispositions, &screening) {
                    (Some(path), Some(_)) => Some(audit::DispositionsBundle {
                        name: path.display().to_string(),
                        text: std::fs::read_to_string(path).map_err(|e| Failure {
                            message: format!("error: cannot read `{}`: {e}\n", path.display()),
                            code: 2,
                        })?,
                    }),
                    _ => None,
                };
                audit::record_all(
                    store,
                    &policies,
                    bundle,
                    register.as_ref(),
                    &decisions,
                    recorded,
                    &now_utc(),
                )
                .map_err(audit_failure)?;
            }
            let mut decisions = decisions;
            if counterfactuals {
                for decision in &mut decisions {
                    policies.what_would_change(decision);
                }
            }
            render(&decisions, format)
        }
        Command::Report {
            policies,
            facts,
            lists: sources,
            accept_small_lists,
            licence_files,
            as_of,
            transactions,
            output,
        } => {
            let sources = accepting(sources, accept_small_lists);
            let policies = PolicySet::load(&policies).map_err(policy_failure)?;
            // Without lists there is no screening to repeat, so each counterfactual is checked
            // by deciding again on the changed facts.
            let document = match sources.is_empty() {
                true => Some(facts_document(&facts, &licence_files)?),
                false => None,
            };
            let path = facts;
            let (facts, _) = load_facts(&path, &sources, &[], &licence_files, false)?;
            policies.check_facts(&facts).map_err(facts_failure)?;
            let screening = (!sources.is_empty())
                .then(|| screen::Screening::new(&facts, screen::DEFAULT_THRESHOLD));
            let blocked_sets = interdict::facts::BlockedSets::default();
            let options = DecideOptions {
                as_of,
                screening: screening.as_ref(),
                blocked_sets: Some(&blocked_sets),
                ..DecideOptions::default()
            };
            let chosen = if transactions.is_empty() {
                facts.transactions().iter().collect()
            } else {
                transactions
                    .iter()
                    .map(|id| {
                        facts.transaction(id).ok_or_else(|| Failure {
                            message: format!("error: no transaction `{id}` in {}\n", facts.name()),
                            code: 2,
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?
            };
            let mut decisions: Vec<_> = chosen
                .into_iter()
                .map(|t| policies.decide_with(&facts, t, options))
                .collect();
            let mut left_out = 0;
            for decision in &mut decisions {
                match &document {
                    Some(document) => {
                        left_out += policies.what_would_change_checked(document, decision);
                    }
                    None => policies.what_would_change(decision),
                }
            }
            let checked = match (&document, left_out) {
                (None, _) => "; counterfactuals not checked, as lists were screened".to_owned(),
                (Some(_), 0) => "; every counterfactual checked by deciding again".to_owned(),
                (Some(_), n) => format!(
                    "; counterfactuals checked by deciding again, {n} that did not change the decision left out"
                ),
            };
            let html = interdict::report::html(&decisions);
            match output {
                Some(path) => {
                    std::fs::write(&path, html).map_err(|e| Failure {
                        message: format!("error: cannot write `{}`: {e}\n", path.display()),
                        code: 2,
                    })?;
                    Ok(format!(
                        "wrote {} ({} decision{}{checked})\n",
                        path.display(),
                        decisions.len(),
                        if decisions.len() == 1 { "" } else { "s" }
                    ))
                }
                None => Ok(html),
            }
        }
    }
}

/// `interdict check`: exit 0 when the policies are valid (warnings allowed), 1 on errors.
fn check(paths: &[PathBuf], format: CheckFormat) -> Result<String, Failure> {
    let result = PolicySet::load(paths);
    if let CheckFormat::Json = format {
        return check_json(&result);
    }
    let policies = result.map_err(policy_failure)?;
    let warnings = policies.warnings();
    if !warnings.is_empty() {
        let report = format!(
            "{}\n{} warning(s)\n",
            policies.render_warnings(),
            warnings.len()
        );
        emit(&mut std::io::stderr(), &report);
    }
    Ok(format!(
        "ok: {} rule(s) in {} policy file(s)\n",
        policies.rule_count(),
        policies.policies().len()
    ))
}

/// The diagnostics of `check` as one JSON document; the exit code still tells errors apart.
fn check_json(result: &Result<PolicySet, PolicyError>) -> Result<String, Failure> {
    let (records, errors) = match result {
        Ok(policies) => (
            policies
                .warnings()
                .iter()
                .map(|d| d.record(policies.sources()))
                .collect(),
            0,
        ),
        Err(PolicyError::Invalid {
            sources,
            diagnostics,
        }) => (
            diagnostics
                .iter()
                .map(|d| d.record(sources))
                .collect::<Vec<_>>(),
            diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count(),
        ),
        Err(other) => {
            return Err(Failure {
                message: format!("error: {other}\n"),
                code: 2,
            });
        }
    };
    let warnings = records.len() - errors;
    let document =
        serde_json::json!({ "diagnostics": records, "errors": errors, "warnings": warnings });
    let text = serde_json::to_string_pretty(&document).unwrap_or_default() + "\n";
    if errors > 0 {
        emit(&mut std::io::stdout(), &text);
        return Err(Failure {
            message: String::new(),
            code: 1,
        });
    }
    Ok(text)
}

/// `interdict fmt`: rewrites files in the canonical layout, or with `--check` prints what would
/// change. Exit 1 if a file does not parse or (with `--check`) is not formatted; 2 if a path
/// cannot be read or written. Files that parse are formatted even when others do not.
fn fmt(paths: &[PathBuf], check: bool) -> Result<String, Failure> {
    use interdict::format::{self, Check};
    let io_failure = |message: String| Failure { message, code: 2 };
    let files = format::policy_files(paths).map_err(|e| io_failure(format!("error: {e}\n")))?;
    let mut output = String::new();
    let mut errors = String::new();
    let mut unformatted = 0usize;
    for file in &files {
        let name = file.display().to_string();
        let text = std::fs::read_to_string(file)
            .map_err(|e| io_failure(format!("error: cannot read `{name}`: {e}\n")))?;
        match format::check(&name, &text) {
            Ok(Check::Formatted) => {}
            Ok(Check::Unformatted { formatted, diff }) => {
                unformatted += 1;
                if check {
                    output.push_str(&diff);
                } else {
                    std::fs::write(file, formatted)
                        .map_err(|e| io_failure(format!("error: cannot write `{name}`: {e}\n")))?;
                    output.push_str(&format!("formatted {name}\n"));
                }
            }
            Err(error) => errors.push_str(&error.render()),
        }
    }
    if !errors.is_empty() || (check && unformatted > 0) {
        emit(&mut std::io::stdout(), &output);
        let summary = if check && unformatted > 0 {
            format!(
                "{unformatted} of {} file(s) not formatted; run `interdict fmt` on them\n",
                files.len()
            )
        } else {
            String::new()
        };
        return Err(Failure {
            message: format!("{errors}{summary}"),
            code: 1,
        });
    }
    Ok(output)
}

/// The facts file, merged with the lists and licence files given, validated and indexed, with
/// the facts as an audit record stores them when `keep_input` is set: read through the library's
/// one path ([`interdict::Sources`]), as a service given the same files reads them. A store
/// snapshot given alone and not kept is opened from its file (and every chunk verified) rather
/// than read whole into memory.
fn load_facts(
    path: &std::path::Path,
    sources: &[ListSource],
    earlier: &[ListSource],
    licence_files: &[PathBuf],
    keep_input: bool,
) -> Result<(Facts, Option<FactsBundle>), Failure> {
    let mut reading = interdict::Sources::new(path);
    reading.lists = sources.to_vec();
    reading.earlier = earlier.to_vec();
    reading.licences = licence_files.to_vec();
    let failure = |e: interdict::Error| match e {
        interdict::Error::Facts(e) => facts_failure(e),
        interdict::Error::List(e) => list_failure(e),
        other => Failure {
            message: format!("error: {other}\n"),
            code: other.exit_code(),
        },
    };
    let alone = sources.is_empty() && licence_files.is_empty();
    if !keep_input && alone && Facts::is_snapshot_file(path) {
        return Ok((reading.load().map_err(failure)?, None));
    }
    let loaded = reading.read().map_err(failure)?;
    let warnings: String = loaded
        .warnings
        .iter()
        .map(|w| format!("warning: {w}\n"))
        .collect();
    emit(&mut std::io::stderr(), &warnings);
    Ok((loaded.facts, Some(FactsBundle::from(loaded.input))))
}

fn audit_failure(error: audit::AuditError) -> Failure {
    Failure {
        message: format!("error: {error}\n"),
        code: 2,
    }
}

fn open_store(path: &std::path::Path) -> Result<SqliteStore, Failure> {
    SqliteStore::open(path).map_err(audit_failure)
}

/// `interdict replay`: exit 0 when every decision replays byte for byte, 1 otherwise.
fn replay(db: &std::path::Path, ids: &[i64]) -> Result<String, Failure> {
    if !db.is_file() {
        return Err(Failure {
            message: format!("error: there is no audit database at `{}`\n", db.display()),
            code: 2,
        });
    }
    let store = open_store(db)?;
    let results = audit::replay(&store, ids).map_err(audit_failure)?;
    let mut out = String::new();
    let mut differing = 0;
    for result in &results {
        match result {
            audit::Replayed::Identical { id, transaction } => {
                out.push_str(&format!("decision {id} ({transaction}): identical\n"));
            }
            audit::Replayed::Different {
                id,
                transaction,
                diff,
            } => {
                differing += 1;
                out.push_str(&format!("decision {id} ({transaction}): DIFFERENT\n{diff}"));
            }
            audit::Replayed::Failed { id, message } => {
                differing += 1;
                out.push_str(&format!("decision {id}: NOT REPLAYED: {message}\n"));
            }
        }
    }
    out.push_str(&format!(
        "{} decision(s) replayed, {} identical\n",
        results.len(),
        results.len() - differing
    ));
    if differing > 0 {
        return Err(Failure {
            message: out,
            code: 1,
        });
    }
    Ok(out)
}

/// `interdict audit verify`: exit 0 when the chain and blobs are intact, 1 otherwise.
fn verify(db: &std::path::Path) -> Result<String, Failure> {
    if !db.is_file() {
        return Err(Failure {
            message: format!("error: there is no audit database at `{}`\n", db.display()),
            code: 2,
        });
    }
    let store = open_store(db)?;
    let verification = store.verify().map_err(audit_failure)?;
    let summary = format!(
        "{} decision(s) and {} blob(s) checked",
        verification.entries, verification.blobs
    );
    if verification.is_intact() {
        return Ok(format!("ok: {summary}; the chain is intact\n"));
    }
    let mut message: String = verification
        .problems
        .iter()
        .map(|p| format!("error: {p}\n"))
        .collect();
    message.push_str(&format!(
        "{summary}; {} problem(s): the database was changed after it was written\n",
        verification.problems.len()
    ));
    Err(Failure { message, code: 1 })
}

fn list_failure(e: lists::ListError) -> Failure {
    Failure {
        message: format!("error: {e}\n"),
        code: 2,
    }
}

/// The facts file merged with the licence files, as records, for changing and deciding again.
fn facts_document(
    path: &std::path::Path,
    licence_files: &[PathBuf],
) -> Result<FactsDocument, Failure> {
    let mut documents = vec![(
        path.display().to_string(),
        FactsDocument::read(path).map_err(facts_failure)?,
    )];
    for file in licence_files {
        let licences = FactsDocument::read(file).map_err(facts_failure)?;
        documents.push((file.display().to_string(), licences));
    }
    lists::merge(documents).map_err(|e| Failure {
        message: format!("error: {e}\n"),
        code: 2,
    })
}

fn import_one(source: &ListSource) -> Result<lists::Import, Failure> {
    let imported = lists::import_release(source).map_err(list_failure)?.0;
    warn_import(&imported.report);
    Ok(imported)
}

/// The references of each earlier release, by kind.
fn earlier_references(earlier: &[ListSource]) -> Result<lists::snapshot::EarlierReleases, Failure> {
    earlier
        .iter()
        .map(|release| {
            let references = lists::snapshot::release_references(release).map_err(list_failure)?;
            Ok((release.kind, references))
        })
        .collect()
}

/// How `screen` reports.
struct ScreenSettings {
    threshold: f64,
    limit: usize,
    format: ScreenFormat,
    dispositions: Option<PathBuf>,
    as_of: Option<Date>,
}

/// The records of `screen --input`: one JSON record a line for `.jsonl`, a header and one record
/// a row for `.csv`, one name a line otherwise; blank lines skipped.
fn read_screen_input(file: &std::path::Path) -> Result<Vec<screen::ScreenRecord>, Failure> {
    let text = std::fs::read_to_string(file).map_err(|e| Failure {
        message: format!("error: cannot read `{}`: {e}\n", file.display()),
        code: 2,
    })?;
    let lines = text
        .lines()
        .enumerate()
        .map(|(n, line)| (n + 1, line.trim()))
        .filter(|(_, line)| !line.is_empty());
    if file.extension().is_some_and(|e| e == "jsonl") {
        lines
            .map(|(n, line)| {
                serde_json::from_str(line).map_err(|e| Failure {
                    message: format!(
                        "error: {}:{n}: {}; each line is one record such as {{\"name\": \"...\", \"kind\": \"person\"}}\n",
                        file.display(),
                        e.to_string().split(" at line ").next().unwrap_or_default()
                    ),
                    code: 2,
                })
            })
            .collect()
    } else if file.extension().is_some_and(|e| e == "csv") {
        screen::ScreenRecord::from_csv(&text).map_err(|e| Failure {
            message: format!("error: {}:{}: {}\n", file.display(), e.line, e.message),
            code: 2,
        })
    } else {
        Ok(lines
            .map(|(_, line)| screen::ScreenRecord::named(line))
            .collect())
    }
}

/// `interdict screen`: builds the index once, then reports each record.
fn screen_records(
    sources: &[ListSource],
    settings: &ScreenSettings,
    records: &[screen::ScreenRecord],
) -> Result<String, Failure> {
    let threshold = settings.threshold;
    if !(0.0..=1.0).contains(&threshold) {
        return Err(Failure {
            message: format!("error: the threshold is a score from 0 to 1, not {threshold}\n"),
            code: 2,
        });
    }
    let facts = lists_store(sources)?;
    let dispositions = match &settings.dispositions {
        Some(path) => {
            screen::Dispositions::load_for_records(path, &facts).map_err(|e| Failure {
                message: format!("error: {e}\n"),
                code: 2,
            })?
        }
        None => screen::Dispositions::default(),
    };
    let day = settings.as_of.or_else(today);
    let index = screen::ScreeningIndex::build(&facts, &screen::ScreeningOptions::default());
    let mut out = String::new();
    for record in records {
        let report = screen::screen_record(
            &index,
            &facts,
            &dispositions,
            day,
            record,
            threshold,
            settings.limit,
        );
        match settings.format {
            ScreenFormat::Json => {
                out.push_str(&serde_json::to_string(&report).unwrap_or_default());
                out.push('\n');
            }
            ScreenFormat::Text => out.push_str(&screen_text(&report)),
        }
    }
    Ok(out)
}

/// Today's date (UTC), from the system clock: what dispositions are applied on unless `--as-of`.
fn today() -> Option<Date> {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_secs();
    // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
    let z = i64::try_from(seconds / 86_400).ok()? + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Date::new(
        u16::try_from(year).ok()?,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
    )
}

/// One record's matches for people: score, list entry, the name that matched, the token pairs,
/// the strength and what it rests on.
fn screen_text(report: &screen::RecordReport) -> String {
    let mut out = format!("{}\n", report.query);
    if report.matches.is_empty() {
        out.push_str("  no match above the threshold\n");
    }
    for screened in &report.matches {
        let hit = &screened.hit;
        let entry = [hit.list.as_deref(), hit.reference.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let via = if hit.matched_name == hit.name {
            String::new()
        } else {
            format!(" (as \"{}\")", hit.matched_name)
        };
        out.push_str(&format!("  {:.3}  {entry}  {}{via}\n", hit.score, hit.name));
        if !hit.explanation.pairs.is_empty() {
            out.push_str(&format!(
                "         tokens: {}\n",
                explain::token_pairs(&hit.explanation.pairs)
            ));
        }
        for note in &hit.explanation.notes {
            out.push_str(&format!("         note: {}\n", explain::match_note(note)));
        }
        let assessment = &screened.assessment;
        out.push_str(&format!(
            "         strength: {}\n",
            assessment.strength.keyword()
        ));
        for (label, items) in [
            ("agrees", &assessment.agrees),
            ("contradicts", &assessment.contradicts),
            ("unknown", &assessment.unknown),
            ("check", &assessment.check),
        ] {
            for item in items {
                out.push_str(&format!("         {label}: {}\n", explain::finding(item)));
            }
        }
        if let Some(disposition) = &screened.disposition {
            out.push_str(&format!(
                "         disposition: {}\n",
                explain::review_status(disposition)
            ));
        }
    }
    out
}

/// The lists alone, merged into one store.
fn lists_store(sources: &[ListSource]) -> Result<Facts, Failure> {
    let mut documents = Vec::new();
    for source in sources {
        documents.push((
            source.path.display().to_string(),
            import_one(source)?.document,
        ));
    }
    let merged = lists::merge(documents).map_err(|e| Failure {
        message: format!("error: {e}\n"),
        code: 2,
    })?;
    Facts::from_document("lists", merged).map_err(|e| Failure {
        message: format!("error: {e}\n"),
        code: 2,
    })
}

/// `interdict import`: each list's report, then the entity store they make together.
fn import(
    sources: &[ListSource],
    earlier: &[ListSource],
    facts_path: Option<&Path>,
    out_path: Option<&Path>,
) -> Result<String, Failure> {
    let mut out = String::new();
    let mut documents = Vec::new();
    if let Some(path) = facts_path {
        let user = FactsDocument::read(path).map_err(facts_failure)?;
        documents.push((path.display().to_string(), user));
    }
    let earlier = earlier_references(earlier)?;
    for source in sources {
        let (imported, bounds) =
            lists::snapshot::import_bounded(source, &earlier).map_err(list_failure)?;
        out.push_str(&format!("{}", imported.report));
        for snapshot in &imported.document.snapshots {
            out.push_str(&format!("  snapshot: {}\n", snapshot.describe()));
        }
        if let Some(bounds) = bounds {
            out.push_str(&format!("{bounds}\n"));
        }
        out.push('\n');
        documents.push((source.path.display().to_string(), imported.document));
    }
    let merged = lists::merge(documents).map_err(|e| Failure {
        message: format!("error: {e}\n"),
        code: 2,
    })?;
    let facts = Facts::from_document("lists", merged).map_err(|e| Failure {
        message: format!("error: {e}\n"),
        code: 2,
    })?;
    let digest = match out_path {
        Some(path) => facts.write_snapshot(path).map_err(|e| Failure {
            message: format!("error: {e}\n"),
            code: 2,
        })?,
        None => facts.digest().to_owned(),
    };
    out.push_str(&format!(
        "entity store: {} entities; digest {digest}\n",
        facts.entity_count(),
    ));
    if let Some(path) = out_path {
        out.push_str(&format!("written to {}\n", path.display()));
    }
    Ok(out)
}

/// Runs every suite; any failed case or unusable suite makes the command fail (exit 1).
fn run_suites(paths: &[PathBuf]) -> Result<String, Failure> {
    let suites = testing::discover(paths).map_err(|e| Failure {
        message: format!("error: {e}\n"),
        code: 2,
    })?;
    if suites.is_empty() {
        return Err(Failure {
            message: String::from("error: no `*.test.yaml` suites found\n"),
            code: 2,
        });
    }
    let mut results = Vec::new();
    let mut broken = String::new();
    for suite in &suites {
        match testing::run(suite) {
            Ok(result) => results.push(result),
            Err(error) => broken.push_str(&format!("error: {error}\n")),
        }
    }
    let report = testing::report(&results);
    let failed = results.iter().flat_map(|s| &s.cases).any(|c| !c.passed());
    if failed || !broken.is_empty() {
        return Err(Failure {
            message: format!("{report}{broken}"),
            code: 1,
        });
    }
    Ok(report)
}

fn render(decisions: &[interdict::Decision], format: Format) -> Result<String, Failure> {
    Ok(match format {
        Format::Text => explain::text(decisions),
        Format::Json => explain::json(decisions) + "\n",
        Format::Yaml => explain::yaml(decisions).map_err(|message| Failure {
            message: format!("error: {message}\n"),
            code: 2,
        })?,
    })
}

fn parse_date(text: &str) -> Result<Date, String> {
    text.parse()
        .map_err(|e: interdict::date::DateError| e.to_string())
}

fn policy_failure(error: PolicyError) -> Failure {
    let code = if matches!(error, PolicyError::Invalid { .. }) {
        1
    } else {
        2
    };
    let mut message = error.render();
    if let PolicyError::Invalid { diagnostics, .. } = &error {
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        message.push_str(&format!("\n{errors} error(s) in the policies\n"));
    }
    Failure { message, code }
}

/// Bad facts, as the library renders them ([`FactsError::render`]), ending the command with 2.
fn facts_failure(error: FactsError) -> Failure {
    Failure {
        message: error.render(),
        code: 2,
    }
}
