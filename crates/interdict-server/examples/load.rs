//! A bounded load run on loopback: 64 clients (by default), each on its own keep-alive
//! connection, send payments whose beneficiary is a new inline counterparty (screened on the fly)
//! to `POST /v1/decisions`, and the run reports requests per second and the latency percentiles.
//!
//! ```sh
//! cargo run --release -p interdict-server --example load -- [--clients 64] [--requests 20000] [--store silverstar|generated] [--url 127.0.0.1:8080]
//! ```
//!
//! Without `--url` it starts the service in-process on a loopback port with every shipped policy
//! pack, on the Silver Star facts with the shipped SDN excerpt merged in (`--store silverstar`,
//! the default), or on the decision benchmark's generated store (`--store generated`: 10,000
//! entities, 20,000 relations, about 6 % designated), each payment then going from a store
//! customer to a new counterparty named like a store entity under another spelling. Every
//! counterparty is screened. With `--url` it drives a service started separately. The machine's
//! load average is printed with the figures: they mean nothing without it.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "a load driver that cannot set up has nothing to measure; failing loudly is right"
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use interdict::Sources;
use interdict_server::{Config, Service, serve};

#[path = "../../../benches/workload/mod.rs"]
mod workload;

/// Counterparty names: listed parties under other spellings, and names that match nothing.
const NAMES: &[&str] = &[
    "Volasys Silverstar",
    "China Silver Star",
    "Northwind Consulting LLC",
    "Silver Lake Partners",
    "Harbin Bright Star Trading",
    "Amur Data Systems",
    "Yanbian Silverstar Network",
    "Blue River Logistics GmbH",
    "Oceanic Freight Services Ltd",
    "Kestrel Analytics BV",
];
const COUNTRIES: &[&str] = &["RU", "CN", "US", "DE", "NL", "KP", "AE"];

struct Options {
    clients: usize,
    requests: usize,
    url: Option<SocketAddr>,
    generated: bool,
}

/// Who a payment goes between: a store customer's id, and counterparty names and countries.
#[derive(Clone)]
struct Parties {
    customers: Vec<String>,
    names: Vec<String>,
    countries: Vec<String>,
}

fn options() -> Options {
    let mut options = Options {
        clients: 64,
        requests: 20_000,
        url: None,
        generated: false,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let value = pair.get(1).map(String::as_str).unwrap_or_default();
        match pair[0].as_str() {
            "--clients" => options.clients = value.parse().expect("--clients N"),
            "--requests" => options.requests = value.parse().expect("--requests N"),
            "--url" => options.url = Some(value.parse().expect("--url HOST:PORT")),
            "--store" => options.generated = value == "generated",
            other => panic!("unknown option {other}; see the example's documentation"),
        }
    }
    options
}

fn main() {
    let options = options();
    let (sources, parties) = if options.generated {
        generated_store()
    } else {
        silverstar_store()
    };
    let (address, _server) = match options.url {
        Some(address) => (address, None),
        None => {
            let (address, server) = start_in_process(sources);
            (address, Some(server))
        }
    };
    let per_client = options.requests.div_ceil(options.clients);
    let started = Instant::now();
    let workers: Vec<_> = (0..options.clients)
        .map(|client| {
            let parties = parties.clone();
            std::thread::spawn(move || run_client(address, &parties, client, per_client))
        })
        .collect();
    let mut latencies = Vec::new();
    let mut failures = 0;
    for worker in workers {
        let (times, failed) = worker.join().expect("a client thread");
        latencies.extend(times);
        failures += failed;
    }
    let elapsed = started.elapsed();
    latencies.sort_unstable();
    let percentile = |p: f64| {
        let at = ((latencies.len() as f64 * p).ceil() as usize).saturating_sub(1);
        latencies.get(at).copied().unwrap_or_default()
    };
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    println!(
        "{} requests from {} clients in {:.2} s: {:.0} requests/s; latency p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms; {failures} failed",
        latencies.len(),
        options.clients,
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        ms(percentile(0.50)),
        ms(percentile(0.90)),
        ms(percentile(0.99)),
        ms(latencies.last().copied().unwrap_or_default()),
    );
    println!(
        "machine: {} cores, load average {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        load.split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    );
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e3
}

fn root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The Silver Star facts with the shipped SDN excerpt, and counterparties named like its parties.
fn silverstar_store() -> (Sources, Parties) {
    let root = root();
    let list = format!(
        "ofac={}",
        root.join("tests/fixtures/lists/ofac_identity").display()
    );
    let mut excerpt: interdict::lists::Release = list.parse().expect("a list source");
    excerpt.accept_small = true; // a five-entry excerpt of the SDN list, knowingly
    let sources = Sources::new(root.join("examples/silverstar.yaml")).with_list(excerpt);
    let parties = Parties {
        customers: vec![String::from("acme")],
        names: NAMES.iter().map(|n| (*n).to_owned()).collect(),
        countries: COUNTRIES.iter().map(|c| (*c).to_owned()).collect(),
    };
    (sources, parties)
}

/// The decision benchmark's generated store of 10,000 entities, written to a temporary JSON
/// facts file, with an empty list merged in so that the service screens; counterparties are
/// store entities' names under other spellings (a word dropped, the words reversed).
fn generated_store() -> (Sources, Parties) {
    let document = workload::generate(workload::Workload::DECIDE);
    let folder = std::env::temp_dir().join(format!("interdict-load-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("a temporary folder");
    let facts = folder.join("generated-10k.json");
    std::fs::write(&facts, serde_json::to_string(&document).expect("JSON")).expect("written");
    let list = folder.join("empty.ftm.json");
    std::fs::write(&list, "").expect("written");
    let mut empty: interdict::lists::Release = format!("ftm={}", list.display())
        .parse()
        .expect("a list source");
    empty.accept_small = true; // no entries of its own: the store's designations are screened
    let names = document
        .entities
        .iter()
        .step_by(7)
        .enumerate()
        .map(|(n, e)| {
            let words: Vec<&str> = e.name.split_whitespace().collect();
            if n % 2 == 0 && words.len() > 2 {
                words[..words.len() - 1].join(" ")
            } else {
                words.iter().rev().copied().collect::<Vec<_>>().join(" ")
            }
        })
        .collect();
    let customers = document
        .transactions
        .iter()
        .map(|t| t.parties[0].entity.clone())
        .collect();
    let countries = document
        .entities
        .iter()
        .step_by(7)
        .filter_map(|e| e.country.clone())
        .collect();
    (
        Sources::new(facts).with_list(empty),
        Parties {
            customers,
            names,
            countries,
        },
    )
}

/// Starts the service on a loopback port in a thread of its own.
fn start_in_process(sources: Sources) -> (SocketAddr, std::thread::JoinHandle<()>) {
    let loading = Instant::now();
    let service = Service::start(Config::new(vec![root().join("policies")], sources))
        .expect("the service starts");
    println!("service loaded in {:.2} s", loading.elapsed().as_secs_f64());
    let (sender, receiver) = std::sync::mpsc::channel();
    let server = std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().expect("a runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("a loopback port");
            sender
                .send(listener.local_addr().expect("an address"))
                .expect("the driver waits");
            serve(listener, Arc::clone(&service), std::future::pending())
                .await
                .expect("the service runs");
        });
    });
    (receiver.recv().expect("the service's address"), server)
}

/// One client: `count` payments on one keep-alive connection; the latency of each that
/// succeeded, and how many failed.
fn run_client(
    address: SocketAddr,
    parties: &Parties,
    client: usize,
    count: usize,
) -> (Vec<Duration>, usize) {
    let stream = TcpStream::connect(address).expect("a connection");
    stream.set_nodelay(true).expect("nodelay");
    let mut writer = stream.try_clone().expect("a second handle");
    let mut reader = BufReader::new(stream);
    let mut times = Vec::with_capacity(count);
    let mut failed = 0;
    for n in 0..count {
        let body = payment(parties, client, n);
        let head = format!(
            "POST /v1/decisions HTTP/1.1\r\nHost: load\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let sent = Instant::now();
        writer.write_all(head.as_bytes()).expect("a request sent");
        writer.write_all(body.as_bytes()).expect("a request sent");
        let status = read_response(&mut reader);
        if status == 200 {
            times.push(sent.elapsed());
        } else {
            failed += 1;
        }
    }
    (times, failed)
}

/// A payment from a store customer to a counterparty the store has never seen.
fn payment(parties: &Parties, client: usize, n: usize) -> String {
    let pick = |items: &[String], at: usize| items[at % items.len()].clone();
    let name = pick(&parties.names, client * 7 + n);
    let country = pick(&parties.countries, client + n);
    let customer = pick(&parties.customers, client * 13 + n);
    serde_json::json!({
        "id": format!("load-{client}-{n}"),
        "kind": "payment",
        "date": "2024-03-01",
        "amount": {"value": 1000 + n, "currency": "USD"},
        "parties": [
            {"role": "originator", "entity": customer},
            {"role": "beneficiary", "id": format!("cp-{client}-{n}"), "kind": "organization",
             "name": name, "country": country}
        ]
    })
    .to_string()
}

/// Reads one response; its status.
fn read_response(reader: &mut BufReader<TcpStream>) -> u16 {
    let mut line = String::new();
    reader.read_line(&mut line).expect("a status line");
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut length = 0;
    loop {
        line.clear();
        reader.read_line(&mut line).expect("a header");
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some(value) = header.to_ascii_lowercase().strip_prefix("content-length:") {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("the body");
    status
}
