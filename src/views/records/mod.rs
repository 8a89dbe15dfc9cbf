//! The record browser: one partition's records, as a consumer would read
//! them (up to the high watermark), in a virtual scroll over every offset
//! from the log-start offset to the high watermark: a million records
//! scroll and jump at once, because only the rows in sight travel (the view
//! subscribes to [`Query::Records`] for them). Jump to an offset or a time,
//! follow the newest records (live tail), filter what is in sight, or
//! search the whole partition ([`Command::FindRecords`], in short calls
//! with progress and a stop).
//!
//! Record content is untrusted: keys, values and headers are rendered as
//! text (never as HTML), cut at the port's limit with the full length said.

use leptos::prelude::*;
use port::{
    Command, NewRecord, Query, RecordField, RecordModel, RecordsModel, Reply, Text, ViewModel,
};

use crate::download::{csv_field, download, json_string};
use crate::link::EngineLink;
use crate::views::format_time;

mod wire;
pub use wire::WireInspector;

/// Rows in sight: the window the view subscribes to.
const ROWS: u32 = 14;
/// A row's height in pixels (the CSS's `.records-view td`).
const ROW_PX: f64 = 28.0;
/// The scroller's height: the header row and [`ROWS`] rows.
const VIEW_PX: f64 = ROW_PX * (ROWS as f64 + 1.0);
/// [`VIEW_PX`] as a style.
const VIEW_HEIGHT: &str = "height:420px";
/// The tallest scroll space drawn: browsers cap an element's height (about
/// 17.9 million pixels in Firefox), so a longer log scrolls proportionally.
const MAX_SCROLL_PX: f64 = 8_000_000.0;
/// Matches one search shows before it asks to go on.
const FOUND: u32 = 50;

/// The browser for `topic`-`partition`; `on_close` hides it.
#[component]
pub fn RecordBrowser(
    /// The engine link.
    link: EngineLink,
    /// The topic.
    topic: String,
    /// The partition.
    partition: i32,
    /// Called by the close button.
    on_close: Callback<()>,
) -> impl IntoView {
    // `None` follows the newest records; `Some(offset)` starts there.
    let (from, set_from) = signal(None::<i64>);
    let (jump, set_jump) = signal(String::new());
    let (error, set_error) = signal(None::<String>);
    // The record whose batch's bytes are shown.
    let chosen = RwSignal::new(None::<i64>);
    // What a search of the whole partition looks for, in keys, values and
    // headers (Command::FindRecords can look in one of them; the page looks
    // in all, from one text box).
    let filter = RwSignal::new(String::new());
    // A search of the whole partition, while one is shown.
    let search = RwSignal::new(None::<Search>);
    let searching = Memo::new(move |_| search.with(Option::is_some));
    // The record being produced again (as it is, or edited), and what
    // producing or exporting said.
    let again = RwSignal::new(None::<RecordModel>);
    let (notice, set_notice) = signal(None::<Result<String, String>>);
    let again_topic = topic.clone();
    let title = format!("{topic}-{partition}");
    let window_topic = topic.clone();
    let jump_topic = topic.clone();
    let wire_topic = topic.clone();
    let find_topic = topic.clone();
    let find = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = filter.get_untracked();
        if text.is_empty() {
            search.set(None);
            return;
        }
        let id = search.with_untracked(|s| s.as_ref().map_or(0, |s| s.id + 1));
        search.set(Some(Search {
            id,
            text,
            records: Vec::new(),
            next: 0,
            hw: 0,
            running: true,
            error: None,
        }));
        search_on(link, find_topic.clone(), partition, search, id);
    };
    view! {
        <section class="records" data-testid="record-browser" aria-label=format!("Records of {title}")>
            <header class="records-head">
                <h4>"Records of " <code>{title.clone()}</code></h4>
                <label class="toggle">
                    <input type="checkbox" data-testid="live-tail" prop:checked=move || from.get().is_none()
                        on:change=move |ev| set_from.set(if event_target_checked(&ev) { None } else { Some(0) })/>
                    " Live tail (follow new records)"
                </label>
                <form class="jump" aria-label="Jump to an offset or a time" on:submit=move |ev| {
                    ev.prevent_default();
                    search.set(None);
                    let text = jump.get();
                    let text = text.trim();
                    if let Ok(offset) = text.parse::<i64>() {
                        if offset >= 0 {
                            set_error.set(None);
                            set_from.set(Some(offset));
                        } else {
                            set_error.set(Some("An offset is a whole number, 0 or more.".into()));
                        }
                    } else if let Some(timestamp) = crate::views::parse_datetime(text) {
                        // ListOffsets by time, as a consumer's offsetsForTimes().
                        link.request(Command::ListOffsets { topic: jump_topic.clone(), partition, timestamp }, move |reply| match reply {
                            Ok(Reply::ListedOffset { offset: Some(offset) }) => { set_error.set(None); set_from.set(Some(offset)); }
                            Ok(_) => set_error.set(Some(format!("No record at or after {} UTC yet.", format_time(timestamp)))),
                            Err(e) => set_error.set(Some(e.message)),
                        });
                    } else {
                        set_error.set(Some("An offset (a whole number) or a time as YYYY-MM-DDTHH:mm:SS (UTC).".into()));
                    }
                }>
                    <label>"Offset or time " <input data-testid="jump-offset" aria-label="Jump to offset or time" size="16"
                        placeholder="42 or 2026-01-01T00:00:05" prop:value=jump on:input=move |ev| set_jump.set(event_target_value(&ev))/></label>
                    <button type="submit">"Go"</button>
                </form>
                <form class="jump" aria-label="Search the records" on:submit=find>
                    <label>"Find " <input type="search" aria-label="Records whose key, value or header contains" size="14"
                        placeholder="text" prop:value=filter on:input=move |ev| filter.set(event_target_value(&ev))/></label>
                    <button type="submit">"Search the whole partition"</button>
                </form>
                <button type="button" data-testid="close-records" aria-label=format!("Close the records of {title}") on:click=move |_| on_close.run(())>"✕"</button>
            </header>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || if searching.get() {
                view! { <SearchResults link=link topic=window_topic.clone() partition=partition state=search set_from=set_from chosen=chosen again=again set_notice=set_notice/> }.into_any()
            } else {
                view! { <RecordWindow link=link topic=window_topic.clone() partition=partition from=from set_from=set_from chosen=chosen again=again set_notice=set_notice/> }.into_any()
            }}
            {move || again.get().map(|r| view! { <ProduceAgain link=link topic=again_topic.clone() partition=partition record=r again=again set_notice=set_notice/> })}
            {move || notice.get().map(|n| match n {
                Ok(t) => view! { <p class="muted" role="status" data-testid="records-notice">{t}</p> }.into_any(),
                Err(e) => view! { <p class="error" role="alert" data-testid="records-notice">{e}</p> }.into_any(),
            })}
            {move || chosen.get().map(|offset| view! {
                <WireInspector link=link topic=wire_topic.clone() partition=partition offset=offset on_close=Callback::new(move |()| chosen.set(None))/>
            })}
        </section>
    }
}

/// A search of the whole partition: what it found so far and where it is.
#[derive(Clone, PartialEq)]
struct Search {
    /// Which search (a new one makes an older one's replies stale).
    id: u32,
    text: String,
    records: Vec<RecordModel>,
    /// Where the next call starts.
    next: i64,
    /// The high watermark as of the last call.
    hw: i64,
    /// Whether calls are still going on.
    running: bool,
    error: Option<String>,
}

/// One call of search `id`; the reply asks for the next while the search
/// runs, has fewer than [`FOUND`] matches and has not reached the high
/// watermark.
fn search_on(
    link: EngineLink,
    topic: String,
    partition: i32,
    state: RwSignal<Option<Search>>,
    id: u32,
) {
    let Some((text, from, found)) = state.with_untracked(|s| {
        s.as_ref()
            .filter(|s| s.id == id && s.running)
            .map(|s| (s.text.clone(), s.next, s.records.len()))
    }) else {
        return;
    };
    let limit = FOUND
        .saturating_sub(u32::try_from(found).unwrap_or(FOUND))
        .max(1);
    let command = Command::FindRecords {
        topic: topic.clone(),
        partition,
        from_offset: from,
        text,
        // The page looks in keys, values and headers alike.
        field: RecordField::Any,
        limit,
    };
    link.request(command, move |reply| {
        let again = state
            .try_update(|s| {
                let s = s.as_mut().filter(|s| s.id == id && s.running)?;
                match reply {
                    Ok(Reply::FoundRecords {
                        records,
                        next_offset,
                        high_watermark,
                        ..
                    }) => {
                        s.records.extend(records);
                        s.next = next_offset;
                        s.hw = high_watermark;
                        s.running =
                            s.records.len() < FOUND as usize && next_offset < high_watermark;
                    }
                    Ok(_) => s.running = false,
                    Err(e) => {
                        s.error = Some(e.message);
                        s.running = false;
                    }
                }
                Some(s.running)
            })
            .flatten();
        if again == Some(true) {
            search_on(link, topic, partition, state, id);
        }
    });
}

/// A search's matches, with its progress, a stop and a way on.
#[component]
fn SearchResults(
    link: EngineLink,
    topic: String,
    partition: i32,
    state: RwSignal<Option<Search>>,
    set_from: WriteSignal<Option<i64>>,
    chosen: RwSignal<Option<i64>>,
    again: RwSignal<Option<RecordModel>>,
    set_notice: WriteSignal<Option<Result<String, String>>>,
) -> impl IntoView {
    let further_topic = topic.clone();
    let rows = Signal::derive(move || {
        state.with(|s| s.as_ref().map(|s| s.records.clone()).unwrap_or_default())
    });
    let summary = move || {
        state.with(|s| {
            let s = s.as_ref()?;
            let (next, hw) = (s.next, s.hw);
            let (so_far, tail) = if s.running {
                (" so far", "…")
            } else if next >= hw {
                ("", " (the whole partition)")
            } else {
                (" so far", "")
            };
            Some(format!(
                "{} record(s) match “{}”{so_far}; searched up to offset {next} of {hw}{tail}",
                s.records.len(),
                s.text
            ))
        })
    };
    let running = move || state.with(|s| s.as_ref().is_some_and(|s| s.running));
    let further = move || state.with(|s| s.as_ref().is_some_and(|s| !s.running && s.next < s.hw));
    let stop = move |_| {
        state.update(|s| {
            if let Some(s) = s.as_mut() {
                s.running = false
            }
        })
    };
    view! {
        <p class="records-summary muted" data-testid="search-summary" role="status">{summary}</p>
        {move || state.with(|s| s.as_ref().and_then(|s| s.error.clone())).map(|e| view! { <p class="error" role="alert">{e}</p> })}
        <div class="records-paging">
            <button type="button" hidden=move || !running() on:click=stop>"Stop searching"</button>
            <button type="button" hidden=move || !further() on:click=move |_| {
                let id = state.try_update(|s| s.as_mut().map(|s| { s.records.clear(); s.running = true; s.error = None; s.id += 1; s.id })).flatten();
                if let Some(id) = id { search_on(link, further_topic.clone(), partition, state, id); }
            }>"Search further"</button>
            <ExportButtons topic=topic partition=partition rows=rows set_notice=set_notice/>
            <button type="button" on:click=move |_| state.set(None)>"Back to browsing"</button>
        </div>
        <RecordsTable rows=rows chosen=chosen again=again
            on_show=Callback::new(move |offset| { state.set(None); set_from.set(Some(offset)); })/>
    }
}

/// How often the record table may change (see [`RecordWindow`]).
const TABLE_EVERY: std::time::Duration = std::time::Duration::from_millis(200);

/// The virtual scroll: a spacer as tall as every offset would be, and over
/// it a sticky view of the [`ROWS`] records at the scroll position (the
/// newest when following). Scrolling asks for the window there; a jump
/// scrolls there.
#[component]
fn RecordWindow(
    link: EngineLink,
    topic: String,
    partition: i32,
    from: ReadSignal<Option<i64>>,
    set_from: WriteSignal<Option<i64>>,
    chosen: RwSignal<Option<i64>>,
    again: RwSignal<Option<RecordModel>>,
    set_notice: WriteSignal<Option<Result<String, String>>>,
) -> impl IntoView {
    // The latest window, kept while the next subscription's first answer
    // is on its way (scrolling never shows an empty table).
    let window = RwSignal::new(None::<RecordsModel>);
    let window_from = RwSignal::new(None::<i64>);
    let (problem, set_problem) = signal(None::<String>);
    let feed_topic = topic.clone();
    let export_topic = topic.clone();
    let shown = Signal::derive(move || {
        window.with(|w| w.as_ref().map(|w| w.records.clone()).unwrap_or_default())
    });
    // Where the window's offsets start: where it was asked to, or the
    // newest ROWS offsets when following.
    let starts_at = Signal::derive(move || {
        window.with(|w| {
            w.as_ref().map_or(0, |w| {
                window_from
                    .get()
                    .unwrap_or(w.high_watermark - i64::from(ROWS))
                    .max(w.log_start_offset)
            })
        })
    });
    let summary =
        Memo::new(move |_| window.with(|w| w.as_ref().map(|w| summary(w, window_from.get()))));
    let scroller = NodeRef::<leptos::html::Div>::new();
    let spacer = NodeRef::<leptos::html::Div>::new();
    // The scroll position the view set itself (its scroll event is not the
    // learner's).
    let set_top = StoredValue::new(-1_i32);
    // Where the last scroll asked the window to start.
    let scrolled = StoredValue::new(None::<Option<i64>>);
    // Keeps the scroll space and position in step with the window and
    // where it starts.
    Effect::new(move |_| {
        let following = from.get().is_none();
        let asked = from.get();
        window.with(|w| {
            let (Some(w), Some(el), Some(space)) = (w, scroller.get(), spacer.get()) else {
                return;
            };
            let (ppo, span) = geometry(w);
            let _ = space.set_attribute(
                "style",
                &format!("height:{}px", (VIEW_PX + span as f64 * ppo).round() as i64),
            );
            // Where a scroll asked for is where the learner already is
            // (moving there again would fight a scroll still under way).
            if !following && scrolled.get_value() == Some(asked) {
                return;
            }
            scrolled.set_value(None);
            let at = if following {
                span
            } else {
                (asked.unwrap_or(0) - w.log_start_offset).clamp(0, span)
            };
            let want = (at as f64 * ppo).round() as i32;
            if (el.scroll_top() - want).abs() as f64 >= ppo.max(1.0) {
                set_top.set_value(want);
                el.set_scroll_top(want);
            }
        });
    });
    // A scroll moves the window, coalesced to one per frame.
    let pending = StoredValue::new(false);
    let on_scroll = move |_| {
        if pending.get_value() {
            return;
        }
        pending.set_value(true);
        request_animation_frame(move || {
            if pending.try_set_value(false).is_some() {
                return;
            }
            let (Some(el), Some(Some(w))) = (scroller.get_untracked(), window.try_get_untracked())
            else {
                return;
            };
            let top = el.scroll_top();
            if (top - set_top.get_value()).abs() <= 1 {
                set_top.set_value(-1);
                return;
            }
            let (ppo, span) = geometry(&w);
            let at = ((f64::from(top) / ppo).round() as i64).clamp(0, span);
            let to = if span > 0 && at == span {
                None
            } else {
                Some(w.log_start_offset + at)
            };
            scrolled.set_value(Some(to));
            set_from.set(to);
        });
    };
    let page = move |later: bool| {
        let Some(Some(w)) = window.try_get_untracked() else {
            return;
        };
        let first = w.records.first().map_or(w.log_start_offset, |r| r.offset);
        let rows = i64::from(ROWS);
        set_from.set(Some(if later {
            first + rows
        } else {
            (first - rows).max(w.log_start_offset)
        }));
    };
    let at_start = move || {
        window.with(|w| {
            w.as_ref().is_none_or(|w| {
                w.records
                    .first()
                    .is_none_or(|r| r.offset <= w.log_start_offset)
            })
        })
    };
    let at_end = move || {
        window.with(|w| {
            w.as_ref().is_none_or(|w| {
                w.records
                    .last()
                    .is_none_or(|r| r.offset + 1 >= w.high_watermark)
            })
        })
    };
    view! {
        {move || {
            let query = Query::Records { topic: feed_topic.clone(), partition, from_offset: from.get(), limit: ROWS };
            view! { <Feed link=link query=query window=window window_from=window_from problem=set_problem/> }
        }}
        {move || problem.get().map(|reason| view! { <p class="error" role="alert">{reason}</p> })}
        {move || window.with(Option::is_none).then(|| view! { <p class="muted">"Reading…"</p> })}
        <p class="records-summary muted" data-testid="records-summary">{move || summary.get()}</p>
        <div class="records-paging">
            <ExportButtons topic=export_topic partition=partition rows=shown set_notice=set_notice/>
            <button type="button" data-testid="records-earlier" disabled=at_start on:click=move |_| page(false)>"◀ Earlier"</button>
            <button type="button" data-testid="records-later" disabled=at_end on:click=move |_| page(true)>"Later ▶"</button>
        </div>
        <div class="records-scroll" node_ref=scroller tabindex="0" on:scroll=on_scroll data-testid="records-scroll"
            aria-label=move || format!("Scroll through every offset of {topic}-{partition}")
            style=VIEW_HEIGHT>
            <div node_ref=spacer>
                <div class="records-view" style=VIEW_HEIGHT>
                    <RecordsTable rows=shown chosen=chosen again=again from=starts_at/>
                </div>
            </div>
        </div>
    }
}

/// A subscription to `query` for as long as it is shown, writing its
/// windows into `window`.
#[component]
fn Feed(
    link: EngineLink,
    query: Query,
    window: RwSignal<Option<RecordsModel>>,
    /// Where the window in `window` was asked to start (none: the newest).
    window_from: RwSignal<Option<i64>>,
    problem: WriteSignal<Option<String>>,
) -> impl IntoView {
    let asked = match &query {
        Query::Records { from_offset, .. } => *from_offset,
        _ => None,
    };
    // A table is read, not watched: under a heavy live tail (hundreds of
    // records a second) it changes at most every TABLE_EVERY, while the
    // strips above it move every frame.
    let model = crate::link::at_most_every(link.subscribe(query), TABLE_EVERY);
    Effect::new(move |_| match model.get() {
        Some(ViewModel::Records(w)) => {
            problem.set(None);
            window_from.set(asked);
            window.set(Some(w));
        }
        Some(ViewModel::Unavailable { reason }) => problem.set(Some(reason)),
        _ => {}
    });
}

/// Pixels per offset and the offsets the scroll spans (the last [`ROWS`]
/// share the bottom position).
fn geometry(w: &RecordsModel) -> (f64, i64) {
    let span = (w.high_watermark - w.log_start_offset - i64::from(ROWS)).max(0);
    let ppo = if span as f64 * ROW_PX <= MAX_SCROLL_PX {
        ROW_PX
    } else {
        MAX_SCROLL_PX / span as f64
    };
    (ppo, span)
}

/// Where the window is in the partition, and the offsets compaction left
/// empty in it.
fn summary(w: &RecordsModel, asked_from: Option<i64>) -> String {
    let (start, hw) = (w.log_start_offset, w.high_watermark);
    let (first, last) = (
        w.records.first().map(|r| r.offset),
        w.records.last().map(|r| r.offset),
    );
    let text = match (first, last) {
        (Some(a), Some(b)) => format!(
            "offsets {a}–{b} of {start}–{} (log-start offset {start}, high watermark {hw})",
            hw - 1
        ),
        _ if hw == start => {
            format!("empty: log-start offset {start} = high watermark {hw}; produce some records")
        }
        _ => format!("nothing here: records are at offsets {start}–{}", hw - 1),
    };
    // Within a window offsets are contiguous unless records were cleaned
    // away. A window that is not full holds every record from where it
    // starts (where it was asked to, or the newest ROWS offsets when
    // following: the same start the table's gap rows count from), so
    // offsets missing before its first record are gone too.
    let held = i64::try_from(w.records.len()).unwrap_or(0);
    let gaps = match (first, last) {
        (Some(_), Some(b)) if held < i64::from(ROWS) => {
            b - asked_from.unwrap_or(hw - i64::from(ROWS)).max(start) + 1 - held
        }
        (Some(a), Some(b)) => b - a + 1 - held,
        _ => 0,
    };
    if gaps > 0 {
        format!("{text}; {gaps} offset(s) in between are gone: compaction kept only each key's newest record")
    } else {
        text
    }
}

/// A table of records. Rebuilt when they change: a window is 14 rows and
/// changes at most every [`TABLE_EVERY`], which costs less than a keyed
/// list's code (about 3 KB of the page's gzipped wasm).
#[component]
fn RecordsTable(
    rows: Signal<Vec<RecordModel>>,
    chosen: RwSignal<Option<i64>>,
    again: RwSignal<Option<RecordModel>>,
    /// Shows a record in its partition (a search's matches).
    #[prop(optional)]
    on_show: Option<Callback<i64>>,
    /// Where the rows start when they are every record of a range of
    /// offsets (a window, not a search's matches): a missing offset from
    /// there on was compacted away.
    #[prop(optional)]
    from: Option<Signal<i64>>,
) -> impl IntoView {
    view! {
        <table class="records-table">
            <thead><tr>
                <th scope="col">"Offset"</th><th scope="col">"Timestamp"</th><th scope="col">"Key"</th>
                <th scope="col">"Value"</th><th scope="col">"Headers"</th>
            </tr></thead>
            <tbody>
                {move || {
                    // Offsets missing from where the rows start, or between
                    // two rows, were cleaned by compaction (offsets never
                    // move).
                    let mut expected = from.map(|f| f.get());
                    let mut base_before = None;
                    rows.get().into_iter().map(|r| {
                        let base = r.batch.as_ref().map_or(r.offset, |b| b.base_offset);
                        let gap = expected.filter(|e| r.offset > *e).map(|e| (e, r.offset - 1));
                        expected = expected.map(|_| r.offset + 1);
                        let batch_start = base_before != Some(base);
                        base_before = Some(base);
                        view! { <RecordRow record=r chosen=chosen again=again on_show=on_show batch_start=batch_start gap=gap/> }
                    }).collect_view()
                }}
            </tbody>
        </table>
    }
}

/// One record: untrusted bytes as text, on one line; a long one opens
/// with its expander.
#[component]
fn RecordRow(
    record: RecordModel,
    chosen: RwSignal<Option<i64>>,
    again: RwSignal<Option<RecordModel>>,
    /// Shows the record in the partition (a search's match).
    on_show: Option<Callback<i64>>,
    /// Whether its batch starts here (in this table).
    batch_start: bool,
    /// Offsets just before it that compaction emptied, drawn as a row.
    gap: Option<(i64, i64)>,
) -> impl IntoView {
    let tint = record.key.as_ref().map_or(8, |k| key_tint(&k.text));
    let offset = record.offset;
    let open = RwSignal::new(false);
    let long = record.decoded.is_some()
        || [record.key.as_ref(), record.value.as_ref()]
            .into_iter()
            .flatten()
            .any(|t| t.cut || t.text.len() > 40)
        || record.headers.len() > 1;
    let copy = record.clone();
    view! {
        {gap.map(|(from, to)| view! {
            <tr class="gap" data-testid="compacted-gap"><td colspan="5">{if from == to {
                format!("offset {from}: removed by compaction (a newer record has its key)")
            } else {
                format!("offsets {from}–{to}: removed by compaction (newer records have their keys)")
            }}</td></tr>
        })}
        <tr data-testid=format!("record-{offset}") class:chosen=move || chosen.get() == Some(offset) class:open=open class:batch-start=batch_start>
            <td class="num offset">
                {offset}" "
                {batch_start.then(|| record.batch.as_ref().map(|b| {
                    let title = format!(
                        "RecordBatch baseOffset {}, lastOffset {}: {} record(s), compression {}",
                        b.base_offset, b.last_offset, b.records, b.compression
                    );
                    view! { <span class="batch-tag" data-testid="batch-start" title=title>"batch"</span> }
                }))}
                <button type="button" class="bytes-button" aria-label=format!("Show the bytes of offset {offset}")
                    aria-pressed=move || (chosen.get() == Some(offset)).to_string()
                    on:click=move |_| chosen.set(Some(offset))>"bytes"</button>
                <button type="button" class="bytes-button" aria-label=format!("Produce offset {offset} again")
                    on:click=move |_| again.set(Some(copy.clone()))>"again"</button>
                {on_show.map(|show| view! {
                    <button type="button" class="bytes-button" aria-label=format!("Show offset {offset} in the partition")
                        on:click=move |_| show.run(offset)>"show"</button>
                })}
                {long.then(|| view! {
                    <button type="button" class="bytes-button" aria-label=format!("All of offset {offset}")
                        aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>"…"</button>
                })}
            </td>
            <td class="num" title=record.timestamp.to_string()>{format_time(record.timestamp)}</td>
            <td class=format!("key key-{tint}")>{shown(record.key.as_ref(), "null")}</td>
            <td class="value">
                // An internal topic's record as Kafka's formatter prints it;
                // any other as its text.
                {match record.decoded.clone() {
                    Some(d) => view! { <code class="decoded" data-testid="decoded" title="As kafka-console-consumer's OffsetsMessageFormatter prints it">{d}</code> }.into_any(),
                    None => shown(record.value.as_ref(), "null (a tombstone)").into_any(),
                }}
            </td>
            <td class="headers">{record.headers.iter().map(|(k, v)| format!("{k}={}", shown(Some(v), ""))).collect::<Vec<_>>().join(", ")}</td>
        </tr>
    }
}

/// A form to produce a record again, as it is or edited: the same key goes
/// to the same partition (murmur2); a record without a key to this one.
#[component]
fn ProduceAgain(
    link: EngineLink,
    topic: String,
    partition: i32,
    record: RecordModel,
    again: RwSignal<Option<RecordModel>>,
    set_notice: WriteSignal<Option<Result<String, String>>>,
) -> impl IntoView {
    let key = RwSignal::new(
        record
            .key
            .as_ref()
            .map(|k| k.text.clone())
            .unwrap_or_default(),
    );
    let value = RwSignal::new(
        record
            .value
            .as_ref()
            .map(|v| v.text.clone())
            .unwrap_or_default(),
    );
    let keyless = record.key.is_none();
    let cut =
        record.key.as_ref().is_some_and(|k| k.cut) || record.value.as_ref().is_some_and(|v| v.cut);
    let headers: Vec<(String, String)> = record
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), v.text.clone()))
        .collect();
    let offset = record.offset;
    let produce = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let key_text = key.get_untracked();
        let new = NewRecord {
            key: (!(keyless && key_text.is_empty())).then_some(key_text),
            value: Some(value.get_untracked()),
            headers: headers.clone(),
        };
        let target = new.key.is_none().then_some(partition);
        link.request(
            Command::Produce {
                topic: topic.clone(),
                partition: target,
                records: vec![new],
            },
            move |result| {
                set_notice.set(Some(match result {
                    Ok(port::Reply::Produced { deliveries }) => Ok(deliveries
                        .first()
                        .map(|(p, o)| {
                            format!(
                                "Produced again: partition {p}, offset {}.",
                                o.map_or_else(|| "pending".to_owned(), |o| o.to_string())
                            )
                        })
                        .unwrap_or_default()),
                    Ok(_) => Ok(String::new()),
                    Err(e) => Err(e.message),
                }));
                again.set(None);
            },
        );
    };
    view! {
        <form class="produce-again" aria-label=format!("Produce offset {offset} again") on:submit=produce>
            <strong>{format!("Produce offset {offset} again")}</strong>
            <label>"key " <input aria-label="key to produce" size="14" prop:value=key on:input=move |ev| key.set(event_target_value(&ev))/></label>
            <label>"value " <input aria-label="value to produce" size="28" prop:value=value on:input=move |ev| value.set(event_target_value(&ev))/></label>
            <button type="submit" data-testid="produce-again">"Produce"</button>
            <button type="button" on:click=move |_| again.set(None)>"Cancel"</button>
            {cut.then(|| view! { <span class="muted">"This record was cut for display: what is shown is what will be sent."</span> })}
        </form>
    }
}

/// Saves `rows` as a JSON or CSV file; says how it went.
fn export(topic: &str, partition: i32, rows: &[RecordModel], json: bool) -> Result<String, String> {
    let (ext, mime, text) = if json {
        ("json", "application/json", to_json(topic, partition, rows))
    } else {
        ("csv", "text/csv", to_csv(topic, partition, rows))
    };
    download(&format!("{topic}-{partition}-records.{ext}"), mime, &text)
        .map(|()| format!("Saved as {}.", ext.to_ascii_uppercase()))
}

/// The export buttons for the records `rows` gives.
#[component]
fn ExportButtons(
    topic: String,
    partition: i32,
    rows: Signal<Vec<RecordModel>>,
    set_notice: WriteSignal<Option<Result<String, String>>>,
) -> impl IntoView {
    let save = move |json: bool| {
        set_notice.set(Some(
            rows.with_untracked(|r| export(&topic, partition, r, json)),
        ))
    };
    let save_csv = save.clone();
    view! {
        <button type="button" data-testid="export-json" aria-label="Export the records shown as JSON" on:click=move |_| save(true)>"Export JSON"</button>
        <button type="button" data-testid="export-csv" aria-label="Export the records shown as CSV" on:click=move |_| save_csv(false)>"Export CSV"</button>
    }
}

/// The records shown as a JSON array (keys and values as shown: text).
fn to_json(topic: &str, partition: i32, rows: &[RecordModel]) -> String {
    let text = |t: Option<&Text>| t.map_or_else(|| "null".to_owned(), |t| json_string(&t.text));
    let items: Vec<String> = rows
        .iter()
        .map(|r| {
            let headers: Vec<String> = r.headers.iter().map(|(k, v)| format!("{}:{}", json_string(k), json_string(&v.text))).collect();
            format!(
                "{{\"topic\":{},\"partition\":{},\"offset\":{},\"timestamp\":{},\"key\":{},\"value\":{},\"headers\":{{{}}}}}",
                json_string(topic),
                partition,
                r.offset,
                r.timestamp,
                text(r.key.as_ref()),
                text(r.value.as_ref()),
                headers.join(",")
            )
        })
        .collect();
    format!("[{}]\n", items.join(",\n"))
}

/// The records shown as CSV with a header row.
fn to_csv(topic: &str, partition: i32, rows: &[RecordModel]) -> String {
    let mut out = String::from("topic,partition,offset,timestamp,key,value,headers\r\n");
    for r in rows {
        let headers: Vec<String> = r
            .headers
            .iter()
            .map(|(k, v)| format!("{k}={}", v.text))
            .collect();
        let fields = [
            csv_field(topic),
            partition.to_string(),
            r.offset.to_string(),
            r.timestamp.to_string(),
            r.key
                .as_ref()
                .map_or_else(String::new, |k| csv_field(&k.text)),
            r.value
                .as_ref()
                .map_or_else(String::new, |v| csv_field(&v.text)),
            csv_field(&headers.join(";")),
        ];
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

/// The text of a key or value, with its full length when cut.
fn shown(text: Option<&Text>, none: &str) -> String {
    match text {
        None => none.to_owned(),
        Some(t) if t.cut => format!("{}… ({} bytes)", t.text, t.bytes),
        Some(t) => t.text.clone(),
    }
}

/// The same key, the same tint (one of the eight identity colours).
fn key_tint(key: &str) -> u32 {
    key.bytes().fold(2_166_136_261_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(16_777_619)
    }) % 8
}
