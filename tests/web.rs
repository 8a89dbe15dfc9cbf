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
    document().body().expect("body").append_child(&host).expect("append host");
    let host: web_sys::HtmlElement = host.unchecked_into();
    let _mounted = leptos::mount::mount_to(host, App);

    assert!(text_of("[data-testid=app] h1").is_some_and(|t| t.contains("Kafka Playground")));
    let links = document().query_selector_all("[data-testid=nav] a").expect("nav links");
    assert_eq!(links.length(), 7, "one link per planned view");
    for view in View::ALL {
        let selector = format!("[data-testid=nav-{}]", view.slug());
        assert_eq!(text_of(&selector).as_deref(), Some(view.title()));
    }
    assert!(text_of("[data-testid=view-cluster] h2").is_some(), "home view is Cluster");

    let schemas = document()
        .query_selector("[data-testid=nav-schemas]")
        .expect("query")
        .expect("schemas link");
    schemas.unchecked_ref::<web_sys::HtmlElement>().click();
    settle().await;
    assert_eq!(window().location().hash().expect("hash"), "#/schemas");
    assert_eq!(text_of("[data-testid=view-schemas] h2").as_deref(), Some("Schemas"));
    assert!(text_of("[data-testid=view-cluster] h2").is_none(), "old view unmounted");
    assert_eq!(
        schemas.get_attribute("aria-current").as_deref(),
        Some("page"),
        "current view is marked in the navigation"
    );

    window().location().set_hash("#/lessons").expect("set hash");
    settle().await;
    assert_eq!(text_of("[data-testid=view-lessons] h2").as_deref(), Some("Lessons"));
    assert_eq!(schemas.get_attribute("aria-current"), None);
}
