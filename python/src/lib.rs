//! The native half of the `interdict` Python package: an `Engine` holding compiled policies and
//! loaded facts, deciding and screening with the GIL released.
//!
//! Everything crosses the boundary as JSON text, rendered by the same serde code as the
//! command line's `--format json`, so a decision from Python is the CLI's decision; the Python
//! half (`interdict/__init__.py`) parses it and adds the Arrow and Spark adapters.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use interdict::diagnostic::DiagnosticRecord;
use interdict::eval::DecideOptions;
use interdict::eval::Decision;
use interdict::facts::BlockedSets;
use interdict::facts::Party;
use interdict::facts::Transaction;
use interdict::facts::records::TransactionRecord;
use interdict::lists::Release;
use interdict::screen::{
    self, RecordReport, ScreenRecord, Screening, ScreeningIndex, ScreeningOptions,
};
use interdict::{
    Date, Facts, FactsError as CoreFactsError, PolicyError as CorePolicyError, PolicySet, Sources,
};
use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString, PyType};
use rayon::prelude::*;

create_exception!(
    _native,
    InterdictError,
    PyException,
    "Any Interdict failure; `exit_code` is what the command line would exit with (1 for policy errors, 2 for bad facts, lists or requests)."
);
create_exception!(
    _native,
    PolicyError,
    InterdictError,
    "The policies do not compile; `diagnostics` holds each one as `interdict check --format json` prints it (code, file, line, column, message)."
);
create_exception!(
    _native,
    FactsError,
    InterdictError,
    "The facts, lists or a snapshot could not be loaded; `problems` names each file, record or line and column."
);
create_exception!(
    _native,
    RequestError,
    InterdictError,
    "A request cannot be decided: an unknown transaction id, an unknown party, or a malformed transaction; `index` is its position in the batch."
);

/// Compiled policies and loaded facts, shared by every thread that decides.
#[pyclass(frozen, module = "interdict._native")]
struct Engine {
    policies: PolicySet,
    facts: Facts,
    /// Parties screened by name against the lists, as `eval --list` does; `None` without lists.
    screening: Option<Screening>,
    /// The index `screen` searches, built the first time it is asked for.
    screen_index: OnceLock<ScreeningIndex>,
    /// The blocked sets decisions on these facts share.
    blocked_sets: BlockedSets,
}

/// What one request names: a transaction of the loaded facts, or a transaction given inline.
enum Request {
    Id(String),
    Record(String),
}

#[pymethods]
impl Engine {
    /// Compiles `policies` (files or folders) and loads `facts` (YAML, JSON or a binary store
    /// snapshot), merged with `lists` (`KIND=PATH[@DATE]`, as `eval --list`) and `licences`
    /// files. With lists, parties are also screened by name at `threshold`.
    #[staticmethod]
    #[pyo3(signature = (policies, facts=None, lists=Vec::new(), licences=Vec::new(), threshold=screen::DEFAULT_THRESHOLD, accept_small_lists=false))]
    fn load(
        py: Python<'_>,
        policies: Vec<PathBuf>,
        facts: Option<PathBuf>,
        lists: Vec<String>,
        licences: Vec<PathBuf>,
        threshold: f64,
        accept_small_lists: bool,
    ) -> PyResult<Engine> {
        if !(0.0..=1.0).contains(&threshold) {
            return Err(InterdictError::new_err(format!(
                "the threshold is a score from 0 to 1, not {threshold}"
            )));
        }
        let releases = lists
            .iter()
            .map(|text| {
                let mut release: Release = text.parse().map_err(|e: String| {
                    facts_error(py, format!("error: --list {text}: {e}\n"), Vec::new())
                })?;
                release.accept_small = accept_small_lists;
                Ok(release)
            })
            .collect::<PyResult<Vec<_>>>()?;
        let loaded = py.detach(|| {
            let policies = PolicySet::load(&policies).map_err(Failure::Policy)?;
            let facts = load_facts(facts.as_deref(), &releases, &licences)?;
            policies.check_facts(&facts).map_err(Failure::Facts)?;
            Ok::<_, Failure>((policies, facts))
        });
        let (policies, facts) = loaded.map_err(|f| f.into_py(py))?;
        let screening = (!releases.is_empty()).then(|| Screening::new(&facts, threshold));
        Ok(Engine {
            policies,
            facts,
            screening,
            screen_index: OnceLock::new(),
            blocked_sets: BlockedSets::default(),
        })
    }

    /// The compiled policies' digest, as every decision cites it.
    #[getter]
    fn policy_digest(&self) -> &str {
        self.policies.digest()
    }

    /// The facts' digest, as every decision cites it.
    #[getter]
    fn facts_digest(&self) -> &str {
        self.facts.digest()
    }

    /// The ids of the transactions in the loaded facts, in file order.
    fn transaction_ids(&self) -> Vec<String> {
        self.facts
            .transactions()
            .iter()
            .map(|t| t.id.clone())
            .collect()
    }

    /// Decides each request (a transaction id, or a transaction dict whose parties name entities
    /// of the facts) as of `as_of` (each transaction's own date when `None`); returns the
    /// decisions as one JSON array, in request order, rendered as the command line renders them.
    #[pyo3(signature = (requests, as_of=None))]
    fn decide_json(
        &self,
        py: Python<'_>,
        requests: Vec<Bound<'_, PyAny>>,
        as_of: Option<&str>,
    ) -> PyResult<String> {
        let as_of = parse_day(as_of)?;
        let requests = requests
            .iter()
            .enumerate()
            .map(|(index, r)| request(py, index, r))
            .collect::<PyResult<Vec<_>>>()?;
        let decided = py.detach(|| {
            let texts = self.decide_all(&requests, as_of, |decision| {
                serde_json::to_string(&decision).map_err(|e| e.to_string())
            })?;
            Ok(format!("[{}]", texts.join(",")))
        });
        decided.map_err(|(index, message)| request_error(py, index, message))
    }

    /// As `decide_json`, each decision as a row for Arrow: transaction, outcome, as_of, reasons
    /// (rule, policy, jurisdiction, effect, message), jurisdictions (name, outcome) and the
    /// decision's JSON; the columns are built without parsing the JSON back.
    #[pyo3(signature = (requests, as_of=None))]
    fn decide_rows(
        &self,
        py: Python<'_>,
        requests: Vec<Bound<'_, PyAny>>,
        as_of: Option<&str>,
    ) -> PyResult<Vec<DecisionRow>> {
        let as_of = parse_day(as_of)?;
        let requests = requests
            .iter()
            .enumerate()
            .map(|(index, r)| request(py, index, r))
            .collect::<PyResult<Vec<_>>>()?;
        let decided =
            py.detach(|| self.decide_all(&requests, as_of, |decision| Ok(decision_row(&decision))));
        decided.map_err(|(index, message)| request_error(py, index, message))
    }

    /// Screens each record (a dict with `name` and optional `id`, `aliases`, `kind`,
    /// `birth_date`, `nationality`, `country`, `identifiers`, `addresses`, as `screen --input`
    /// reads) and returns one JSON array of reports, as `screen --format json` prints them.
    #[pyo3(signature = (records, threshold=screen::DEFAULT_THRESHOLD, limit=5, as_of=None))]
    fn screen_json(
        &self,
        py: Python<'_>,
        records: Vec<String>,
        threshold: f64,
        limit: usize,
        as_of: Option<&str>,
    ) -> PyResult<String> {
        let (parsed, day) = screen_request(py, &records, threshold, as_of)?;
        Ok(py.detach(|| {
            let reports = self.screen_all(&parsed, day, threshold, limit);
            let texts: Vec<String> = reports.par_iter().map(report_json).collect();
            format!("[{}]", texts.join(","))
        }))
    }

    /// As `screen_json`, each report as a row for Arrow: query, id, how many matches, the best
    /// one's score, list, reference and strength, and the report's JSON.
    #[pyo3(signature = (records, threshold=screen::DEFAULT_THRESHOLD, limit=5, as_of=None))]
    fn screen_rows(
        &self,
        py: Python<'_>,
        records: Vec<String>,
        threshold: f64,
        limit: usize,
        as_of: Option<&str>,
    ) -> PyResult<Vec<ScreenRow>> {
        let (parsed, day) = screen_request(py, &records, threshold, as_of)?;
        Ok(py.detach(|| {
            let reports = self.screen_all(&parsed, day, threshold, limit);
            reports.par_iter().map(screen_row).collect()
        }))
    }
}

/// One decision as the Arrow columns take it.
type DecisionRow = (
    String,
    &'static str,
    String,
    Vec<(String, String, Option<String>, &'static str, String)>,
    Vec<(String, &'static str)>,
    String,
);

fn decision_row(decision: &Decision) -> DecisionRow {
    let reasons = decision
        .reasons
        .iter()
        .map(|r| {
            (
                r.rule.to_string(),
                r.policy.to_string(),
                r.jurisdiction.as_ref().map(ToString::to_string),
                r.effect.keyword(),
                r.message.clone(),
            )
        })
        .collect();
    let jurisdictions = decision
        .jurisdictions
        .iter()
        .map(|(name, verdict)| (name.to_string(), verdict.outcome.keyword()))
        .collect();
    (
        decision.transaction.clone(),
        decision.outcome.keyword(),
        decision.as_of.to_string(),
        reasons,
        jurisdictions,
        serde_json::to_string(decision).unwrap_or_default(),
    )
}

/// One screening report as the Arrow columns take it.
type ScreenRow = (
    String,
    Option<String>,
    usize,
    Option<f64>,
    Option<String>,
    Option<String>,
    Option<&'static str>,
    String,
);

fn screen_row(report: &RecordReport) -> ScreenRow {
    let best = report.matches.first();
    (
        report.query.clone(),
        report.id.clone(),
        report.matches.len(),
        best.map(|m| m.hit.score),
        best.and_then(|m| m.hit.list.clone()),
        best.and_then(|m| m.hit.reference.clone()),
        best.map(|m| m.assessment.strength.keyword()),
        report_json(report),
    )
}

/// A report as `screen --format json` prints it.
fn report_json(report: &RecordReport) -> String {
    serde_json::to_string(report).unwrap_or_default()
}

/// The records to screen, parsed, and the day, once the threshold is checked.
fn screen_request(
    py: Python<'_>,
    records: &[String],
    threshold: f64,
    as_of: Option<&str>,
) -> PyResult<(Vec<ScreenRecord>, Option<Date>)> {
    if !(0.0..=1.0).contains(&threshold) {
        return Err(InterdictError::new_err(format!(
            "the threshold is a score from 0 to 1, not {threshold}"
        )));
    }
    let day = parse_day(as_of)?;
    let parsed = records
        .iter()
        .enumerate()
        .map(|(index, text)| {
            serde_json::from_str::<ScreenRecord>(text)
                .map_err(|e| request_error(py, index, format!("record {index}: {e}")))
        })
        .collect::<PyResult<Vec<_>>>()?;
    Ok((parsed, day))
}

impl Engine {
    /// Decides every request in parallel and turns each decision into its output (JSON text, an
    /// Arrow row) as soon as it is made, so a batch never holds every full decision at once; the
    /// first request that cannot be decided, by position.
    fn decide_all<T: Send>(
        &self,
        requests: &[Request],
        as_of: Option<Date>,
        finish: impl Fn(Decision) -> Result<T, String> + Sync,
    ) -> Result<Vec<T>, (usize, String)> {
        let options = DecideOptions {
            as_of,
            screening: self.screening.as_ref(),
            blocked_sets: Some(&self.blocked_sets),
            ..DecideOptions::default()
        };
        requests
            .par_iter()
            .enumerate()
            .map(|(index, request)| match request {
                Request::Id(id) => {
                    let found = self.facts.transaction(id).ok_or_else(|| {
                        (
                            index,
                            format!("no transaction `{id}` in {}", self.facts.name()),
                        )
                    })?;
                    finish(self.policies.decide_with(&self.facts, found, options))
                        .map_err(|m| (index, m))
                }
                Request::Record(text) => {
                    let transaction = self.inline(text).map_err(|m| (index, m))?;
                    finish(
                        self.policies
                            .decide_with(&self.facts, &transaction, options),
                    )
                    .map_err(|m| (index, m))
                }
            })
            .collect()
    }

    /// A transaction given as JSON, its parties resolved against the facts' entities.
    fn inline(&self, text: &str) -> Result<Transaction, String> {
        let record: TransactionRecord =
            serde_json::from_str(text).map_err(|e| format!("not a transaction: {e}"))?;
        let parties = record
            .parties
            .iter()
            .enumerate()
            .map(|(slot, party)| {
                let entity = self.facts.entity_index(&party.entity).ok_or_else(|| {
                    format!(
                        "transaction `{}`: parties[{slot}].entity: no entity `{}` in {}",
                        record.id,
                        party.entity,
                        self.facts.name()
                    )
                })?;
                Ok(Party {
                    role: party.role.clone(),
                    entity,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        Ok(Transaction {
            id: record.id,
            kind: record.kind,
            date: record.date,
            amount: record.amount,
            parties,
            attributes: record.attributes,
        })
    }

    fn screen_all(
        &self,
        records: &[ScreenRecord],
        day: Option<Date>,
        threshold: f64,
        limit: usize,
    ) -> Vec<RecordReport> {
        let index = self
            .screen_index
            .get_or_init(|| ScreeningIndex::build(&self.facts, &ScreeningOptions::default()));
        let dispositions = screen::Dispositions::default();
        records
            .par_iter()
            .map(|record| {
                screen::screen_record(
                    index,
                    &self.facts,
                    &dispositions,
                    day,
                    record,
                    threshold,
                    limit,
                )
            })
            .collect()
    }
}

/// A request object from Python: a `str` is a transaction id, a `dict` a transaction.
fn request(py: Python<'_>, index: usize, object: &Bound<'_, PyAny>) -> PyResult<Request> {
    if object.is_instance_of::<PyString>() {
        return Ok(Request::Id(object.extract()?));
    }
    if object.is_instance_of::<PyDict>() {
        let json = py.import("json")?;
        let text = json.call_method1("dumps", (object,))?.extract()?;
        return Ok(Request::Record(text));
    }
    Err(request_error(
        py,
        index,
        format!(
            "request {index}: a transaction id (str) or a transaction (dict), not {}",
            object.get_type().name()?
        ),
    ))
}

fn parse_day(text: Option<&str>) -> PyResult<Option<Date>> {
    text.map(|t| {
        t.parse::<Date>()
            .map_err(|e| InterdictError::new_err(format!("as_of `{t}`: {e}")))
    })
    .transpose()
}

/// Why loading failed, carried out of the GIL-free section.
enum Failure {
    Policy(CorePolicyError),
    Facts(CoreFactsError),
    Other(String),
}

impl Failure {
    fn into_py(self, py: Python<'_>) -> PyErr {
        match self {
            Failure::Policy(error) => policy_error(py, error),
            Failure::Facts(error) => {
                let problems = facts_problems(&error);
                facts_error(py, error.render(), problems)
            }
            Failure::Other(message) => facts_error(py, format!("error: {message}\n"), Vec::new()),
        }
    }
}

/// Loads the facts as `interdict eval` does, through the library's [`Sources`]: a snapshot or a
/// facts file alone, or merged with imported lists and licence files; the lists alone when no
/// facts file is given.
fn load_facts(
    path: Option<&Path>,
    releases: &[Release],
    licence_files: &[PathBuf],
) -> Result<Facts, Failure> {
    if path.is_none() && releases.is_empty() && licence_files.is_empty() {
        return Err(Failure::Other(
            "give a facts file, lists, or both".to_owned(),
        ));
    }
    let mut sources = path.map_or_else(Sources::lists_only, Sources::new);
    for release in releases {
        sources = sources.with_list(release.clone());
    }
    for file in licence_files {
        sources = sources.with_licences(file);
    }
    sources.load().map_err(|error| match error {
        interdict::Error::Facts(error) => Failure::Facts(error),
        other => Failure::Other(other.to_string()),
    })
}

/// Each problem as a dict's fields: where (file, and record or line and column) and what.
fn facts_problems(error: &CoreFactsError) -> Vec<Vec<(&'static str, String)>> {
    match error {
        CoreFactsError::Invalid { file, problems } => problems
            .iter()
            .map(|p| {
                vec![
                    ("file", file.clone()),
                    ("record", p.record.clone()),
                    ("message", p.message.clone()),
                ]
            })
            .collect(),
        CoreFactsError::Syntax {
            file,
            line,
            column,
            message,
        } => vec![vec![
            ("file", file.clone()),
            ("line", line.to_string()),
            ("column", column.to_string()),
            ("message", message.clone()),
        ]],
        CoreFactsError::Snapshot { file, message } => {
            vec![vec![("file", file.clone()), ("message", message.clone())]]
        }
        CoreFactsError::TooLarge { file, .. } => {
            vec![vec![("file", file.clone()), ("message", error.to_string())]]
        }
        CoreFactsError::Read { path, source } => {
            vec![vec![
                ("file", path.clone()),
                ("message", source.to_string()),
            ]]
        }
        // A kind of problem added later: its message, without a place.
        _ => vec![vec![("message", error.to_string())]],
    }
}

/// An exception of `class` with `message`, `exit_code` and the given attributes set.
fn raise(
    class: Bound<'_, PyType>,
    message: String,
    exit_code: u8,
    attributes: Vec<(&str, Bound<'_, PyAny>)>,
) -> PyErr {
    let built = class.call1((message,)).and_then(|instance| {
        instance.setattr("exit_code", exit_code)?;
        for (name, value) in attributes {
            instance.setattr(name, value)?;
        }
        Ok(instance)
    });
    match built {
        Ok(instance) => PyErr::from_value(instance),
        Err(error) => error,
    }
}

fn policy_error(py: Python<'_>, error: CorePolicyError) -> PyErr {
    let (records, exit_code): (Vec<DiagnosticRecord>, u8) = match &error {
        CorePolicyError::Invalid {
            sources,
            diagnostics,
        } => (diagnostics.iter().map(|d| d.record(sources)).collect(), 1),
        _ => (Vec::new(), 2),
    };
    let diagnostics = serde_json::to_string(&records)
        .map_err(|e| InterdictError::new_err(e.to_string()))
        .and_then(|text| py.import("json")?.call_method1("loads", (text,)));
    match diagnostics {
        Ok(list) => raise(
            py.get_type::<PolicyError>(),
            error.render(),
            exit_code,
            vec![("diagnostics", list)],
        ),
        Err(e) => e,
    }
}

fn facts_error(py: Python<'_>, message: String, problems: Vec<Vec<(&str, String)>>) -> PyErr {
    let list = problems
        .into_iter()
        .map(|fields| {
            let dict = PyDict::new(py);
            for (key, value) in fields {
                match value.parse::<u64>() {
                    Ok(number) if key == "line" || key == "column" => dict.set_item(key, number)?,
                    _ => dict.set_item(key, value)?,
                }
            }
            Ok(dict)
        })
        .collect::<PyResult<Vec<_>>>()
        .and_then(|dicts| dicts.into_pyobject(py).map(Bound::into_any));
    match list {
        Ok(list) => raise(
            py.get_type::<FactsError>(),
            message,
            2,
            vec![("problems", list)],
        ),
        Err(e) => e,
    }
}

fn request_error(py: Python<'_>, index: usize, message: String) -> PyErr {
    match index.into_pyobject(py) {
        Ok(position) => raise(
            py.get_type::<RequestError>(),
            message,
            2,
            vec![("index", position.into_any())],
        ),
        Err(e) => e.into(),
    }
}

/// The `interdict._native` module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<Engine>()?;
    m.add("InterdictError", py.get_type::<InterdictError>())?;
    m.add("PolicyError", py.get_type::<PolicyError>())?;
    m.add("FactsError", py.get_type::<FactsError>())?;
    m.add("RequestError", py.get_type::<RequestError>())?;
    m.add("DEFAULT_THRESHOLD", screen::DEFAULT_THRESHOLD)?;
    Ok(())
}
