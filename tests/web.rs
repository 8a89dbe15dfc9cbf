//! Browser tests of the UI shell, run by wasm-bindgen-test in headless
//! Chromium (`make test-wasm`). They mount the real app into the test page
//! and drive it the way a learner does: through links and the URL fragment.

#![cfg(target_arch = "wasm32")]

use kafka_playground::app::App;
use kafka_playground::views::View;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Lets the browser run pending events and Leptos effects.
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 30);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn text_of(selector: &str) -> Option<String> {
    document()
        .query_selector(selector)
        .ok()
        .flatten()
        .and_then(|element| element.text_content())
}

#[wasm_bindgen_test]
fn fragments_name_views() {
    assert_eq!(View::from_hash(""), View::Cluster);
    assert_eq!(View::from_hash("#/schemas"), View::Schemas);
    assert_eq!(View::from_hash("#consumers"), View::Consumers);
    assert_eq!(View::from_hash("#/connect/connectors?x=1"), View::Connect);
    assert_eq!(View::from_hash("#/no-such-view"), View::HOME);
    for view in View::ALL {
        assert_eq!(View::from_hash(&view.href()), view, "{view:?} round-trips");
    }
}

#[wasm_bindgen_test]
async fn shell_navigates_between_views() {
    window().location().set_hash("").expect("reset hash");
    settle().await;
    let host = document().create_element("div").expect("create host");
    document()
        .body()
        .expect("body")
        .append_child(&host)
        .expect("append host");
    let host: web_sys::HtmlElement = host.unchecked_into();
    let _mounted = leptos::mount::mount_to(host, App);

    assert!(text_of("[data-testid=app] h1").is_some_and(|t| t.contains("Kafka Playground")));
    let links = document()
        .query_selector_all("[data-testid=nav] a")
        .expect("nav links");
    assert_eq!(links.length(), 7, "one link per planned view");
    for view in View::ALL {
        let selector = format!("[data-testid=nav-{}]", view.slug());
        assert_eq!(text_of(&selector).as_deref(), Some(view.title()));
    }
    assert!(
        text_of("[data-testid=view-cluster] h2").is_some(),
        "home view is Cluster"
    );

    let schemas = document()
        .query_selector("[data-testid=nav-schemas]")
        .expect("query")
        .expect("schemas link");
    schemas.unchecked_ref::<web_sys::HtmlElement>().click();
    settle().await;
    assert_eq!(window().location().hash().expect("hash"), "#/schemas");
    assert_eq!(
        text_of("[data-testid=view-schemas] h2").as_deref(),
        Some("Schemas")
    );
    assert!(
        text_of("[data-testid=view-cluster] h2").is_none(),
        "old view unmounted"
    );
    assert_eq!(
        schemas.get_attribute("aria-current").as_deref(),
        Some("page"),
        "current view is marked in the navigation"
    );

    window().location().set_hash("#/lessons").expect("set hash");
    settle().await;
    assert_eq!(
        text_of("[data-testid=view-lessons] h2").as_deref(),
        Some("Lessons")
    );
    assert_eq!(schemas.get_attribute("aria-current"), None);
}

/// Local mode's engine, as the worker runs it, answers the port in wasm:
/// a handshake, a command, a subscription's model.
#[wasm_bindgen_test]
fn the_worker_engine_answers_the_port_in_wasm() {
    use engine_host::{Answerer, LocalEngine, Session};
    use port::{decode, encode, Command, FromEngine, Query, ToEngine, ViewModel, VERSION};
    let mut engine = LocalEngine::boot(2026).expect("boots");
    let mut session = Session::new();
    let hello = session.on_text(
        &encode(&ToEngine::Hello {
            version: VERSION,
            client: "wasm test".into(),
        }),
        &mut engine,
    );
    assert!(matches!(hello.messages[..], [FromEngine::Welcome { .. }]));
    let create = Command::CreateTopic {
        topic: "orders".into(),
        partitions: Some(3),
        replication_factor: Some(3),
        configs: vec![],
    };
    session.on_text(
        &encode(&ToEngine::Request {
            id: 1,
            command: create,
        }),
        &mut engine,
    );
    let out = session.on_text(
        &encode(&ToEngine::Subscribe {
            id: 2,
            query: Query::Cluster,
        }),
        &mut engine,
    );
    let text = encode(&out.messages[0]);
    let Ok(FromEngine::Update {
        model: ViewModel::Cluster(model),
        ..
    }) = decode::<FromEngine>(&text)
    else {
        panic!("{text}")
    };
    let orders = model
        .topics
        .iter()
        .find(|t| t.name == "orders")
        .expect("orders");
    assert_eq!(orders.partitions.len(), 3);
    assert!(
        engine.answer(&Query::Clock)
            != ViewModel::Unavailable {
                reason: String::new()
            }
    );
}

/// The engine runs inside the browser: a cluster, a producer with
/// compression and idempotence, a lost response, a broker failure.
#[wasm_bindgen_test]
fn the_engine_runs_in_wasm() {
    use bytes_free::*;
    let mut playground = scenario();
    let delivered = produce_and_flush(&mut playground);
    assert_eq!(delivered, 20, "every record delivered");
    assert_eq!(
        stored_values(&playground),
        20,
        "and stored once, despite the lost response"
    );
}

/// Helpers that use only the engine's API (no extra crates in the UI).
mod bytes_free {
    use engine::clock::Millis;
    use engine::cluster::{Cluster, ClusterConfig, NewTopic, OffsetSpec};
    use engine::playground::Playground;
    use engine::producer_config::{ClientFlavour, ProducerConfig};
    use engine::record::{decode_batch, ProducerRecord};

    pub fn scenario() -> Playground {
        let cluster =
            Cluster::new(ClusterConfig::default(), 42, Millis(1_700_000_000_000)).expect("cluster");
        let mut playground = Playground::new(cluster, 42);
        playground
            .cluster_mut()
            .create_topic(NewTopic::new("orders", 3, 3).config("min.insync.replicas", "2"))
            .expect("topic");
        playground
    }

    pub fn produce_and_flush(playground: &mut Playground) -> usize {
        let settings = [("compression.type", "zstd"), ("request.timeout.ms", "2000")];
        let (config, _) = ProducerConfig::parse(ClientFlavour::Java, &settings).expect("config");
        let producer = playground.add_producer(config, 7).expect("producer");
        playground.faults_mut().drop_next_responses(1);
        for i in 0..20 {
            let now = playground.now();
            let record = ProducerRecord {
                key: Some(format!("customer-{}", i % 5).into_bytes().into()),
                value: Some(format!("order {i}").into_bytes().into()),
                headers: vec![],
                timestamp: now.0,
            };
            playground
                .send(producer, "orders", None, record)
                .expect("send");
        }
        playground.cluster_mut().stop_broker(2).expect("stop");
        assert_eq!(playground.flush(producer, 120_000), 0, "flushed");
        let reports = playground
            .producer_mut(producer)
            .expect("producer")
            .take_reports();
        reports.iter().filter(|r| r.error.is_none()).count()
    }

    pub fn stored_values(playground: &Playground) -> usize {
        let cluster = playground.cluster();
        (0..3)
            .map(|partition| {
                let start = cluster
                    .list_offsets("orders", partition, OffsetSpec::Earliest)
                    .expect("offsets")
                    .unwrap_or(0);
                cluster
                    .fetch("orders", partition, start, u64::MAX)
                    .expect("fetch")
                    .batches
                    .iter()
                    .map(|b| decode_batch(&b.bytes).expect("decode").len())
                    .sum::<usize>()
            })
            .sum()
    }
}

// ---- scenario links (src/share.rs) ----

use kafka_playground::share;

#[wasm_bindgen_test]
fn base64url_round_trips_every_length_and_byte() {
    for len in 0..70u32 {
        let binary: String = (0..len).map(|i| char::from((i * 37 % 256) as u8)).collect();
        let encoded = share::base64url(&binary);
        assert!(!encoded.contains(['+', '/', '=']));
        let back: String = share::unbase64url(&encoded)
            .expect("decodes")
            .into_iter()
            .map(char::from)
            .collect();
        assert_eq!(back, binary);
    }
    assert_eq!(share::base64url("\u{fb}\u{ff}"), "-_8");
    assert_eq!(share::unbase64url("TWFu").expect("decodes"), b"Man");
    let err = share::unbase64url("TW+u").expect_err("+ is not base64url");
    assert!(err.contains("'+' at character 3"), "{err}");
    assert!(
        share::unbase64url("TWFuT").is_err(),
        "a lone sixth bit group"
    );
}

#[wasm_bindgen_test]
fn a_scenario_fragment_keeps_its_view_and_carries_one_scenario() {
    assert_eq!(
        share::fragment_with("#/cluster?scenario=old", "abc"),
        "#/cluster?scenario=abc"
    );
    assert_eq!(
        share::scenario_in("#/producer?x=1&scenario=abc"),
        Some("abc")
    );
    assert_eq!(share::scenario_in("#/producer"), None);
    assert_eq!(share::view_part("#/producer?scenario=abc"), "#/producer");
    assert_eq!(View::from_hash("#/producer?scenario=abc"), View::Producer);
}

/// The browser's own codec behind a callback, as a future.
async fn through(encode: bool, input: String) -> Result<String, String> {
    let out = std::rc::Rc::new(std::cell::RefCell::new(None));
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let out = out.clone();
        let done = move |result: Result<String, String>| {
            *out.borrow_mut() = Some(result);
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        };
        if encode {
            share::encode(&input, done);
        } else {
            share::decode(&input, done);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    let result = out.borrow_mut().take();
    result.expect("the callback ran")
}

#[wasm_bindgen_test]
async fn a_scenario_survives_a_link_and_damaged_links_say_why() {
    let text = format!(
        "{{\"format\":\"kafka-playground-scenario\",\"entries\":[{}]}}",
        vec!["\"+1000x12 é\""; 400].join(",")
    );
    let encoded = through(true, text.clone()).await.expect("compresses");
    assert!(
        encoded.len() * 10 < text.len(),
        "{} characters for {} bytes",
        encoded.len(),
        text.len()
    );
    assert_eq!(
        through(false, encoded.clone()).await.expect("expands"),
        text
    );
    // Cut short, flipped, or not base64url at all: a reason, never a panic.
    let cut = through(false, encoded[..encoded.len() / 2].to_owned()).await;
    assert!(cut.is_err(), "{cut:?}");
    let mut flipped = encoded.into_bytes();
    flipped[3] = if flipped[3] == b'A' { b'B' } else { b'A' };
    let flipped = through(false, String::from_utf8(flipped).expect("ascii")).await;
    assert!(flipped.as_ref().map_or(true, |t| *t != text), "{flipped:?}");
    assert!(through(false, "%%%".into())
        .await
        .expect_err("not base64url")
        .contains("base64url"));
    let huge = "A".repeat(share::MAX_LINK_CHARS + 1);
    assert!(through(false, huge)
        .await
        .expect_err("too long")
        .contains("at most"));
}

#[wasm_bindgen_test]
fn numbers_lose_trailing_zeros() {
    use kafka_playground::views::number;
    assert_eq!(number(5.0), "5");
    assert_eq!(number(0.5), "0.5");
    assert_eq!(number(100.0), "100");
    assert_eq!(number(2.125), "2.125");
    use kafka_playground::views::fixed;
    assert_eq!(fixed(1234.5678, 2), "1234.57");
    assert_eq!(fixed(0.0, 1), "0.0");
    assert_eq!(number(0.0), "0");
}
