//! A bounded load run on loopback: 64 clients (by default), each on its own keep-alive
//! connection, send payments whose beneficiary is a new inline counterparty (screened on the fly)
//! to `POST /v1/decisions`, and the run reports requests per second and the latency percentiles.
//!
//! ```sh
//! cargo run --release -p interdict-server --example load -- [--clients 64] [--requests 20000] [--url 127.0.0.1:8080]
//! ```
//!
//! Without `--url` it starts the service in-process on a loopback port, on the Silver Star facts
//! with the shipped SDN excerpt merged in (so every counterparty is screened) and every shipped
//! policy pack. With `--url` it drives a service started separately, for instance on a larger
//! store. The machine's load average is printed with the figures: they mean nothing without it.
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
}

fn options() -> Options {
    let mut options = Options {
        clients: 64,
        requests: 20_000,
        url: None,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    for pair in args.chunks(2) {
        let value = pair.get(1).map(String::as_str).unwrap_or_default();
        match pair[0].as_str() {
            "--clients" => options.clients = value.parse().expect("--clients N"),
            "--requests" => options.requests = value.parse().expect("--requests N"),
            "--url" => options.url = Some(value.parse().expect("--url HOST:PORT")),
            other => panic!("unknown option {other}; see the example's documentation"),
        }
    }
    options
}

fn main() {
    let options = options();
    let (address, _server) = match options.url {
        Some(address) => (address, None),
        None => {
            let (address, server) = start_in_process();
            (address, Some(server))
        }
    };
    let per_client = options.requests.div_ceil(options.clients);
    let started = Instant::now();
    let workers: Vec<_> = (0..options.clients)
        .map(|client| std::thread::spawn(move || run_client(address, client, per_client)))
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

/// Starts the service on a loopback port in a thread of its own.
fn start_in_process() -> (SocketAddr, std::thread::JoinHandle<()>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let list = format!(
        "ofac={}",
        root.join("tests/fixtures/lists/ofac_identity").display()
    );
    let mut excerpt: interdict::lists::Release = list.parse().expect("a list source");
    excerpt.accept_small = true; // a five-entry excerpt of the SDN list, knowingly
    let sources = Sources::new(root.join("examples/silverstar.yaml")).with_list(excerpt);
    let service = Service::start(Config::new(vec![root.join("policies")], sources))
        .expect("the service starts");
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
fn run_client(address: SocketAddr, client: usize, count: usize) -> (Vec<Duration>, usize) {
    let stream = TcpStream::connect(address).expect("a connection");
    stream.set_nodelay(true).expect("nodelay");
    let mut writer = stream.try_clone().expect("a second handle");
    let mut reader = BufReader::new(stream);
    let mut times = Vec::with_capacity(count);
    let mut failed = 0;
    for n in 0..count {
        let body = payment(client, n);
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
fn payment(client: usize, n: usize) -> String {
    let name = NAMES[(client * 7 + n) % NAMES.len()];
    let country = COUNTRIES[(client + n) % COUNTRIES.len()];
    serde_json::json!({
        "id": format!("load-{client}-{n}"),
        "kind": "payment",
        "date": "2024-03-01",
        "amount": {"value": 1000 + n, "currency": "USD"},
        "parties": [
            {"role": "originator", "entity": "acme"},
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
