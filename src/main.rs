//! The `interdict` command: check policies and decide transactions from the command line.
//!
//! Exit codes: 0 success, 1 the policies have problems (`check`), 2 the inputs could not be used.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use interdict::{Date, Facts, FactsError, PolicyError, PolicySet, explain, testing};

/// Interdict: a sanctions-compliance policy engine.
#[derive(Debug, Parser)]
#[command(name = "interdict", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check policy files (or folders of `.policy` files) for errors.
    Check {
        /// Policy files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
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
        /// Decide as of this day instead of each transaction's own date (YYYY-MM-DD).
        #[arg(long = "as-of", value_parser = parse_date)]
        as_of: Option<Date>,
        /// Decide only this transaction.
        #[arg(long)]
        transaction: Option<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
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

/// A command's failure: what to print and the exit code.
struct Failure {
    message: String,
    code: u8,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(output) => {
            print!("{output}");
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprint!("{}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

fn run(cli: Cli) -> Result<String, Failure> {
    match cli.command {
        Command::Check { paths } => {
            let policies = PolicySet::load(&paths).map_err(policy_failure)?;
            Ok(format!(
                "ok: {} rule(s) in {} policy file(s)\n",
                policies.rules().len(),
                policies.policies().len()
            ))
        }
        Command::Test { paths } => run_suites(&paths),
        Command::Eval {
            policies,
            facts,
            as_of,
            transaction,
            format,
        } => {
            let policies = PolicySet::load(&policies).map_err(policy_failure)?;
            let facts = Facts::load(&facts).map_err(|e| facts_failure(&facts, e))?;
            let decisions = match &transaction {
                Some(id) => {
                    let found = facts.transaction(id).ok_or_else(|| Failure {
                        message: format!("error: no transaction `{id}` in {}\n", facts.name()),
                        code: 2,
                    })?;
                    vec![policies.decide(&facts, found, as_of)]
                }
                None => policies.decide_all(&facts, as_of),
            };
            render(&decisions, format)
        }
    }
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
        message.push_str(&format!(
            "\n{} error(s) in the policies\n",
            diagnostics.len()
        ));
    }
    Failure { message, code }
}

/// Facts problems, each on its own line as `file:line:col` or `file: record`, with the offending
/// line shown for syntax errors.
fn facts_failure(path: &std::path::Path, error: FactsError) -> Failure {
    let message = match &error {
        FactsError::Invalid { file, problems } => {
            let mut out: String = problems
                .iter()
                .map(|p| format!("{file}: error: {p}\n"))
                .collect();
            out.push_str(&format!(
                "\n{} problem(s) in the facts; fix them and run again\n",
                problems.len()
            ));
            out
        }
        FactsError::Syntax {
            file,
            line,
            column,
            message,
        } => {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let source_line = text
                .lines()
                .nth((*line as usize).saturating_sub(1))
                .unwrap_or_default();
            let caret = " ".repeat((*column as usize).saturating_sub(1));
            format!("{file}:{line}:{column}: error: {message}\n  | {source_line}\n  | {caret}^\n")
        }
        FactsError::Read { .. } => format!("error: {error}\n"),
    };
    Failure { message, code: 2 }
}
