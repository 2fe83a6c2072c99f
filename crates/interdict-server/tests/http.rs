//! The service over loopback HTTP: the Silver Star payments decided with the same JSON as
//! `interdict eval`, a policy changed and reloaded while payments keep coming without one of them
//! failing, bad input answered with a JSON error while the service keeps serving, and a clean
//! shutdown.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail loudly"
)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use interdict::facts::FactsDocument;
use interdict::{Facts, PolicySet, Sources, explain};
use interdict_server::{Config, Service, serve};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::oneshot;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A copy of the shipped policies in a fresh folder, so a test can change one.
fn policies_copy(name: &str) -> PathBuf {
    let folder =
        std::env::temp_dir().join(format!("interdict-server-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).unwrap();
    for entry in std::fs::read_dir(root().join("policies")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "policy") {
            std::fs::copy(&path, folder.join(path.file_name().unwrap())).unwrap();
        }
    }
    folder
}

/// A running service on a loopback port chosen by the system, and how to stop it.
struct Running {
    address: SocketAddr,
    stop: oneshot::Sender<()>,
    served: tokio::task::JoinHandle<std::io::Result<()>>,
    service: Arc<Service>,
}

async fn start(policies: &Path) -> Running {
    start_with(
        policies,
        Sources::new(root().join("examples/silverstar.yaml")),
    )
    .await
}

async fn start_with(policies: &Path, sources: Sources) -> Running {
    let config = Config::new(vec![policies.to_path_buf()], sources);
    let service = Service::start(config).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = oneshot::channel::<()>();
    let served = tokio::spawn(serve(listener, Arc::clone(&service), async {
        let _ = stopped.await;
    }));
    Running {
        address,
        stop,
        served,
        service,
    }
}

impl Running {
    async fn stop(self) {
        self.stop.send(()).unwrap();
        let served = tokio::time::timeout(std::time::Duration::from_secs(10), self.served)
            .await
            .expect("the service stops within 10 s");
        served.unwrap().unwrap();
    }
}

/// One HTTP/1.1 call on a fresh connection: the status and the body.
async fn call(address: SocketAddr, method: &str, path: &str, body: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(address).await.unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    parse(&response)
}

fn parse(response: &[u8]) -> (u16, String) {
    let text = String::from_utf8_lossy(response);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .expect("a complete response head");
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    (status, body.to_owned())
}

/// The Silver Star transactions as request JSON: the facts file's own records.
fn silver_star_requests() -> serde_json::Value {
    let document = FactsDocument::read(root().join("examples/silverstar.yaml")).unwrap();
    serde_json::to_value(&document.transactions).unwrap()
}

/// What `interdict eval --policy POLICIES --facts examples/silverstar.yaml --format json` prints.
fn eval_json(policies: &Path) -> String {
    let policies = PolicySet::load(&[policies]).unwrap();
    let facts = Facts::load(root().join("examples/silverstar.yaml")).unwrap();
    explain::json(&policies.decide_all(&facts, None)) + "\n"
}

fn error_code(body: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(body).unwrap();
    value["error"]["code"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn silver_star_over_http_with_a_policy_reloaded_mid_stream() {
    let policies = policies_copy("reload");
    let running = start(&policies).await;
    let address = running.address;
    let body = serde_json::to_vec(&silver_star_requests()).unwrap();

    // The whole batch: byte for byte what the command line prints.
    let (status, decided) = call(address, "POST", "/v1/decisions", &body).await;
    assert_eq!(status, 200, "{decided}");
    assert_eq!(decided, eval_json(&policies));
    let before = PolicySet::load(&[&policies]).unwrap().digest().to_owned();

    // Payments keep coming from eight clients while a policy changes and is reloaded.
    let one = serde_json::to_vec(&silver_star_requests()[1]).unwrap();
    // Each client sends payments until the reload has happened and five more have been decided.
    let reloaded_flag = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut clients = Vec::new();
    for _ in 0..8 {
        let one = one.clone();
        let reloaded_flag = Arc::clone(&reloaded_flag);
        clients.push(tokio::spawn(async move {
            let mut digests = Vec::new();
            let mut after_reload = 0;
            while after_reload < 5 {
                if reloaded_flag.load(std::sync::atomic::Ordering::SeqCst) {
                    after_reload += 1;
                }
                let (status, body) = call(address, "POST", "/v1/decisions", &one).await;
                assert_eq!(status, 200, "{body}");
                let value: serde_json::Value = serde_json::from_str(&body).unwrap();
                let digest = value["decisions"][0]["policy_digest"]
                    .as_str()
                    .unwrap()
                    .to_owned();
                digests.push(digest);
            }
            digests
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let changed = policies.join("ofac_dprk.policy");
    let text = std::fs::read_to_string(&changed).unwrap();
    // The designated-party rule's message changes, as an author's edit would.
    let edited = text.replacen(
        "is designated: {p.designations}",
        "is on a list: {p.designations}",
        1,
    );
    assert_ne!(edited, text);
    std::fs::write(&changed, edited).unwrap();
    let (status, reloaded) = call(address, "POST", "/v1/reload", b"").await;
    assert_eq!(status, 200, "{reloaded}");
    reloaded_flag.store(true, std::sync::atomic::Ordering::SeqCst);
    let after = PolicySet::load(&[&policies]).unwrap().digest().to_owned();
    assert_ne!(before, after);
    assert!(reloaded.contains(&after), "{reloaded}");
    let mut decided = Vec::new();
    for client in clients {
        decided.extend(client.await.unwrap());
    }
    // Every payment was decided, under one complete policy set: the old one, then the new one.
    assert!(decided.iter().all(|d| *d == before || *d == after));
    assert!(decided.contains(&before) && decided.contains(&after));
    let (_, now) = call(address, "POST", "/v1/decisions", &one).await;
    assert!(now.contains(&after), "{now}");
    let (_, first) = call(
        address,
        "POST",
        "/v1/decisions",
        &serde_json::to_vec(&silver_star_requests()[0]).unwrap(),
    )
    .await;
    assert!(first.contains("is on a list: OFAC-SDN"), "{first}");

    // The metrics count what was decided and name the digests in use.
    let (status, metrics) = call(address, "GET", "/metrics", b"").await;
    assert_eq!(status, 200);
    assert!(
        metrics.contains("interdict_decisions_total{outcome=\"block\"}"),
        "{metrics}"
    );
    assert!(
        metrics.contains("interdict_decision_call_seconds_count"),
        "{metrics}"
    );
    assert!(
        metrics.contains(&format!("policy_digest=\"{after}\"")),
        "{metrics}"
    );
    assert!(
        metrics.contains("interdict_reloads_total{result=\"ok\"} 1"),
        "{metrics}"
    );

    running.stop().await;
    let _ = std::fs::remove_dir_all(&policies);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_a_json_error_and_the_service_keeps_serving() {
    let policies = policies_copy("bad-input");
    let running = start(&policies).await;
    let address = running.address;
    let healthy = || async move {
        let (status, body) = call(address, "GET", "/v1/health", b"").await;
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("\"status\":\"ok\""), "{body}");
    };

    let (status, body) = call(address, "POST", "/v1/decisions", b"{\"id\": \"tx\", ").await;
    assert_eq!(
        (status, error_code(&body).as_str()),
        (400, "invalid_json"),
        "{body}"
    );
    assert!(body.contains("line 1 column"), "{body}");
    healthy().await;

    let unknown_field =
        br#"{"id": "tx", "kind": "payment", "date": "2024-03-01", "colour": "red"}"#;
    let (status, body) = call(address, "POST", "/v1/decisions", unknown_field).await;
    assert_eq!(
        (status, error_code(&body).as_str()),
        (422, "invalid_request"),
        "{body}"
    );
    assert!(body.contains("unknown field `colour`"), "{body}");
    healthy().await;

    let unknown_party = br#"{"id": "tx", "kind": "payment", "date": "2024-03-01",
        "parties": [{"role": "beneficiary", "entity": "nobody"}]}"#;
    let (status, body) = call(address, "POST", "/v1/decisions", unknown_party).await;
    assert_eq!(
        (status, error_code(&body).as_str()),
        (422, "invalid_request"),
        "{body}"
    );
    assert!(
        body.contains("names entity `nobody`, which is not in the store"),
        "{body}"
    );
    healthy().await;

    let (status, body) = huge_call(address, 100 * 1024 * 1024).await;
    assert_eq!(
        (status, error_code(&body).as_str()),
        (413, "body_too_large"),
        "{body}"
    );
    healthy().await;

    let (status, body) = call(address, "GET", "/v1/nowhere", b"").await;
    assert_eq!(
        (status, error_code(&body).as_str()),
        (404, "not_found"),
        "{body}"
    );
    let (status, body) = call(address, "GET", "/v1/decisions", b"").await;
    assert_eq!(
        (status, error_code(&body).as_str()),
        (405, "method_not_allowed"),
        "{body}"
    );

    // Without lists there is nothing to screen against, and the service says so.
    let (status, body) = call(address, "POST", "/v1/screen", br#"{"query": "Volasys"}"#).await;
    assert_eq!(
        (status, error_code(&body).as_str()),
        (409, "no_lists"),
        "{body}"
    );

    // A reload that fails (a policy that no longer checks) keeps the policies in use.
    let broken = policies.join("broken.policy");
    std::fs::write(&broken, "rule oops: block when\n").unwrap();
    let (status, body) = call(address, "POST", "/v1/reload", b"").await;
    assert_eq!(
        (status, error_code(&body).as_str()),
        (422, "invalid_policies"),
        "{body}"
    );
    assert!(body.contains("broken.policy:"), "{body}");
    assert!(body.contains("\"exit_code\":1"), "{body}");
    let (status, body) = call(
        address,
        "POST",
        "/v1/decisions",
        &serde_json::to_vec(&silver_star_requests()[0]).unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let (status, body) = call(address, "GET", "/v1/openapi.json", b"").await;
    assert_eq!(status, 200);
    let document: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(document["paths"]["/v1/decisions"]["post"].is_object());

    let (status, metrics) = call(address, "GET", "/metrics", b"").await;
    assert_eq!(status, 200);
    assert!(
        metrics.contains("interdict_errors_total{code=\"body_too_large\"} 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("interdict_reloads_total{result=\"failed\"} 1"),
        "{metrics}"
    );
    let facts = Facts::load(root().join("examples/silverstar.yaml")).unwrap();
    let engine = running.service.engine();
    assert_eq!(engine.store.digest(), facts.digest());
    running.stop().await;
    let _ = std::fs::remove_dir_all(&policies);
}

/// Sends a body of `size` bytes while reading the answer, which comes before the body is read.
async fn huge_call(address: SocketAddr, size: usize) -> (u16, String) {
    let stream = TcpStream::connect(address).await.unwrap();
    let (mut reader, mut writer) = stream.into_split();
    let head = format!(
        "POST /v1/decisions HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: {size}\r\n\r\n"
    );
    writer.write_all(head.as_bytes()).await.unwrap();
    let sending = tokio::spawn(async move {
        let chunk = vec![b' '; 1024 * 1024];
        for _ in 0..size / chunk.len() {
            if writer.write_all(&chunk).await.is_err() {
                break;
            }
        }
    });
    let mut response = Vec::new();
    let mut buffer = [0u8; 4096];
    // Read until the head and the body it announces are in.
    loop {
        match reader.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(n) => response.extend_from_slice(&buffer[..n]),
        }
        if complete(&response) {
            break;
        }
    }
    sending.abort();
    parse(&response)
}

fn complete(response: &[u8]) -> bool {
    let text = String::from_utf8_lossy(response);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    head.lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .and_then(|v| v.trim().parse::<usize>().ok())
        })
        .is_some_and(|length| body.len() >= length)
}

/// With a list loaded, a payment to a counterparty the store has never seen is screened on the
/// fly (a name alone is a possible match: review, OFAC FAQ 5), and names can be screened alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_counterparties_are_screened_over_http() {
    let mut excerpt: interdict::lists::Release = format!(
        "ofac={}",
        root().join("tests/fixtures/lists/ofac_identity").display()
    )
    .parse()
    .unwrap();
    excerpt.accept_small = true;
    let sources = Sources::new(root().join("examples/unlabelled-payments.yaml")).with_list(excerpt);
    let running = start_with(&root().join("policies"), sources).await;
    let address = running.address;

    let payment = br#"{"id": "pay-77", "kind": "payment", "date": "2024-03-01",
        "amount": {"value": 9500, "currency": "USD"},
        "parties": [{"role": "originator", "entity": "acme"},
                    {"role": "beneficiary", "kind": "organization", "name": "Volasys Silverstar", "country": "RU"}]}"#;
    let (status, body) = call(address, "POST", "/v1/decisions", payment).await;
    assert_eq!(status, 200, "{body}");
    let value: serde_json::Value = serde_json::from_str(&body).unwrap();
    let decision = &value["decisions"][0];
    assert_eq!(decision["outcome"], "review", "{body}");
    assert_eq!(
        decision["facts_digest"],
        running.service.engine().store.digest()
    );
    assert!(body.contains("\"strength\": \"possible\""), "{body}");
    assert!(body.contains("inline:beneficiary"), "{body}");

    let (status, body) = call(
        address,
        "POST",
        "/v1/screen",
        br#"{"query": "Volasys Silverstar", "limit": 3}"#,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let report: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(report["query"], "Volasys Silverstar");
    assert_eq!(
        report["matches"][0]["name"], "VOLASYS SILVER STAR",
        "{body}"
    );
    let (status, body) = call(
        address,
        "POST",
        "/v1/screen",
        br#"{"query": "x", "limit": 0}"#,
    )
    .await;
    assert_eq!(
        (status, error_code(&body).as_str()),
        (422, "invalid_request"),
        "{body}"
    );
    running.stop().await;
}

/// Every `$ref` of the OpenAPI document names a part of it, so a client generated from the
/// document knows the shape of each decision's notes and summary.
#[test]
fn every_reference_of_the_openapi_document_resolves() {
    fn references<'v>(value: &'v serde_json::Value, out: &mut Vec<&'v str>) {
        match value {
            serde_json::Value::Object(fields) => {
                if let Some(serde_json::Value::String(target)) = fields.get("$ref") {
                    out.push(target);
                }
                fields.values().for_each(|v| references(v, out));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| references(v, out)),
            _ => {}
        }
    }
    let document: serde_json::Value = serde_json::from_str(interdict_server::OPENAPI).unwrap();
    let mut targets = Vec::new();
    references(&document, &mut targets);
    assert!(targets.contains(&"#/components/schemas/Summary"));
    for target in targets {
        let pointer = target.strip_prefix('#').unwrap();
        assert!(
            document.pointer(pointer).is_some(),
            "{target} names nothing"
        );
    }
}
