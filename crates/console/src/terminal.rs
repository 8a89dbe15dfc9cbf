//! The terminal in the page: scrollback, prompt and input, history kept in
//! `localStorage`, Tab completion, Ctrl-C / Ctrl-D / Ctrl-L, and the port
//! connection the shell's commands travel on.

use std::cell::RefCell;
use std::rc::Rc;

use kplay_console::{Effect, Endpoints, Shell, Stream};
use port::{decode_binary, encode_binary, FromEngine, ToEngine, VERSION};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Document, Element, HtmlInputElement, KeyboardEvent, MessageEvent, MessagePort, WebSocket,
};

/// Where the history is kept.
const HISTORY_KEY: &str = "kplay-console-history";
/// Where the terminal's files are kept (`localStorage`, as JSON pairs).
const FILES_KEY: &str = "kplay-console-files";
/// Where the scrollback waits while the view is closed (`sessionStorage`).
const SCROLLBACK_KEY: &str = "kplay-console-scrollback";
/// The most lines kept for when the view opens again.
const SCROLLBACK_KEPT: usize = 500;
/// The most commands the history keeps.
const HISTORY_MAX: usize = 500;
/// The most lines the scrollback keeps (older ones are dropped).
const SCROLLBACK_MAX: usize = 5_000;

/// Installs `window.kplayConsoleMount`.
pub fn install() {
    #[cfg(not(panic = "immediate-abort"))]
    console_error_panic_hook::set_once();
    let mount =
        Closure::<dyn Fn(Element, JsValue) -> JsValue>::new(|root: Element, engine: JsValue| {
            match Terminal::mount(&root, &engine) {
                Some(handle) => handle,
                None => {
                    root.set_text_content(Some(
                        "The console could not reach the engine: reload the page.",
                    ));
                    JsValue::NULL
                }
            }
        });
    if let Some(window) = web_sys::window() {
        let _ = js_sys::Reflect::set(&window, &"kplayConsoleMount".into(), mount.as_ref());
    }
    mount.forget();
}

/// How the terminal reaches the engine.
enum Channel {
    Port(MessagePort),
    Socket(WebSocket),
}

impl Channel {
    fn send(&self, bytes: &[u8]) {
        let array = js_sys::Uint8Array::from(bytes);
        // A failed send means the engine is gone; the close handler says so.
        let _ = match self {
            Channel::Port(port) => {
                let buffer = array.buffer();
                port.post_message_with_transferable(&buffer, &js_sys::Array::of1(&buffer))
            }
            Channel::Socket(socket) => socket.send_with_u8_array(bytes),
        };
    }

    fn close(&self) {
        match self {
            Channel::Port(port) => port.close(),
            Channel::Socket(socket) => {
                let _ = socket.close();
            }
        }
    }
}

struct Terminal {
    document: Document,
    output: Element,
    prompt: Element,
    input: HtmlInputElement,
    shell: Shell,
    channel: Option<Channel>,
    welcomed: bool,
    closed: bool,
    /// Messages waiting for the welcome.
    queued: Vec<Vec<u8>>,
    history: Vec<String>,
    /// Where ↑/↓ is in the history (`history.len()`: the new line).
    cursor: usize,
    /// The line being typed before ↑ was pressed.
    draft: String,
    lines: usize,
    /// The newest timers set for the shell (cleared on close).
    timers: Vec<i32>,
    /// Closures that live as long as the terminal.
    keep: Vec<Box<dyn std::any::Any>>,
}

type Shared = Rc<RefCell<Terminal>>;

impl Terminal {
    /// Builds the terminal in `root` and connects it; returns the handle.
    fn mount(root: &Element, engine: &JsValue) -> Option<JsValue> {
        let document = web_sys::window()?.document()?;
        let frame = element(&document, "div", "console-frame")?;
        let output = element(&document, "div", "console-output")?;
        output.set_attribute("role", "log").ok()?;
        output.set_attribute("aria-label", "Console output").ok()?;
        output.set_attribute("data-testid", "console-output").ok()?;
        output.set_attribute("tabindex", "0").ok()?;
        let line = element(&document, "label", "console-input-line")?;
        let prompt = element(&document, "span", "console-prompt")?;
        prompt.set_attribute("data-testid", "console-prompt").ok()?;
        prompt.set_attribute("aria-hidden", "true").ok()?;
        let input: HtmlInputElement = document.create_element("input").ok()?.dyn_into().ok()?;
        input.set_class_name("console-input");
        for (name, value) in [
            ("aria-label", "Command"),
            ("autocomplete", "off"),
            ("autocapitalize", "off"),
            ("spellcheck", "false"),
            ("data-testid", "console-input"),
            ("enterkeyhint", "send"),
        ] {
            input.set_attribute(name, value).ok()?;
        }
        line.append_child(&prompt).ok()?;
        line.append_child(&input).ok()?;
        frame.append_child(&output).ok()?;
        frame.append_child(&line).ok()?;
        root.append_child(&frame).ok()?;

        let history = load_history();
        let cursor = history.len();
        let terminal: Shared = Rc::new(RefCell::new(Terminal {
            document,
            output,
            prompt,
            input: input.clone(),
            shell: Shell::new(Endpoints::default()),
            channel: None,
            welcomed: false,
            closed: false,
            queued: Vec::new(),
            history,
            cursor,
            draft: String::new(),
            lines: 0,
            timers: Vec::new(),
            keep: Vec::new(),
        }));
        {
            let mut t = terminal.borrow_mut();
            t.shell.load_files(load_files());
            for (class, text) in load_scrollback() {
                t.append(&class, &text);
            }
            t.show_prompt();
        }

        // Clicking anywhere in the terminal (but not to select text) types.
        {
            let input = input.clone();
            let on_click = Closure::<dyn Fn()>::new(move || {
                let selected = web_sys::window()
                    .and_then(|w| w.get_selection().ok().flatten())
                    .is_some_and(|s| !s.is_collapsed());
                if !selected {
                    let _ = input.focus();
                }
            });
            frame
                .add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())
                .ok()?;
            terminal.borrow_mut().keep.push(Box::new(on_click));
        }
        {
            let shared = Rc::clone(&terminal);
            let on_key = Closure::<dyn Fn(KeyboardEvent)>::new(move |event: KeyboardEvent| {
                on_key(&shared, &event);
            });
            input
                .add_event_listener_with_callback("keydown", on_key.as_ref().unchecked_ref())
                .ok()?;
            terminal.borrow_mut().keep.push(Box::new(on_key));
        }
        connect(&terminal, engine)?;

        let handle = js_sys::Object::new();
        let shared = Rc::clone(&terminal);
        let close = Closure::<dyn Fn()>::new(move || {
            let mut t = shared.borrow_mut();
            save_scrollback(&t.output);
            t.closed = true;
            if let Some(channel) = t.channel.take() {
                channel.close();
            }
            if let Some(window) = web_sys::window() {
                for handle in &t.timers {
                    window.clear_timeout_with_handle(*handle);
                }
            }
            t.timers.clear();
        });
        js_sys::Reflect::set(&handle, &"close".into(), close.as_ref()).ok()?;
        // The handle's closure lives as long as the page: a view opens few.
        close.forget();
        Some(handle.into())
    }

    /// Appends `text` (each of its lines) to the scrollback, as text.
    fn print(&mut self, stream: Stream, text: &str) {
        let class = match stream {
            Stream::Stdout => "out",
            Stream::Stderr => "err",
            Stream::Echo => "echo",
            Stream::Log => "err log",
            Stream::Note => "note",
        };
        let stamped;
        let text = if stream == Stream::Log {
            stamped = format!("[{}] {text}", log_time());
            stamped.as_str()
        } else {
            text
        };
        for line in text.split('\n') {
            self.append(class, line);
        }
    }

    /// Appends one line of `class` to the scrollback, as text.
    fn append(&mut self, class: &str, line: &str) {
        let Ok(row) = self.document.create_element("div") else {
            return;
        };
        row.set_class_name(&format!("console-line {class}"));
        row.set_text_content(Some(line));
        let _ = self.output.append_child(&row);
        self.lines += 1;
        while self.lines > SCROLLBACK_MAX {
            match self.output.first_element_child() {
                Some(first) => {
                    first.remove();
                    self.lines -= 1;
                }
                None => break,
            }
        }
        self.output.set_scroll_top(self.output.scroll_height());
    }

    fn show_prompt(&mut self) {
        self.prompt.set_text_content(Some(self.shell.prompt()));
        let busy_reading = self.shell.busy() && self.shell.prompt().is_empty();
        let _ = self
            .input
            .set_attribute("aria-busy", if busy_reading { "true" } else { "false" });
    }

    fn send(&mut self, message: &ToEngine) {
        let bytes = encode_binary(message);
        match (&self.channel, self.welcomed) {
            (Some(channel), true) => channel.send(&bytes),
            _ => self.queued.push(bytes),
        }
    }
}

fn element(document: &Document, tag: &str, class: &str) -> Option<Element> {
    let el = document.create_element(tag).ok()?;
    el.set_class_name(class);
    Some(el)
}

/// Carries out the shell's effects.
fn apply(shared: &Shared, effects: Vec<Effect>) {
    let mut t = shared.borrow_mut();
    if t.closed {
        return;
    }
    for effect in effects {
        match effect {
            Effect::Print(stream, text) => t.print(stream, &text),
            Effect::Send(id, command) => t.send(&ToEngine::Request { id, command }),
            Effect::Clear => {
                t.output.set_text_content(None);
                t.lines = 0;
            }
            Effect::Wake(ms) => {
                let Some(window) = web_sys::window() else {
                    continue;
                };
                let weak = Rc::downgrade(shared);
                // Freed once it has run.
                let fire = Closure::once_into_js(move || {
                    let Some(shared) = weak.upgrade() else { return };
                    let effects = shared.borrow_mut().shell.on_wake(ms);
                    apply(&shared, effects);
                });
                let timeout = i32::try_from(ms).unwrap_or(i32::MAX);
                if let Ok(handle) = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                    fire.unchecked_ref(),
                    timeout,
                ) {
                    t.timers.retain(|h| *h != handle);
                    t.timers.push(handle);
                    let excess = t.timers.len().saturating_sub(16);
                    t.timers.drain(..excess);
                }
            }
        }
    }
    if let Some(files) = t.shell.changed_files() {
        save_files(files);
    }
    t.show_prompt();
}

fn on_key(shared: &Shared, event: &KeyboardEvent) {
    let key = event.key();
    let ctrl = event.ctrl_key() || event.meta_key();
    let input = shared.borrow().input.clone();
    match (ctrl, key.as_str()) {
        (false, "Enter") => {
            event.prevent_default();
            let line = input.value();
            input.set_value("");
            let effects = {
                let mut t = shared.borrow_mut();
                let at_shell = !t.shell.busy();
                if at_shell && !line.trim().is_empty() && t.history.last() != Some(&line) {
                    t.history.push(line.clone());
                    let start = t.history.len().saturating_sub(HISTORY_MAX);
                    t.history.drain(..start);
                    save_history(&t.history);
                }
                t.cursor = t.history.len();
                t.draft.clear();
                t.shell.run(&line)
            };
            apply(shared, effects);
        }
        (false, "ArrowUp") | (false, "ArrowDown") => {
            event.prevent_default();
            let mut t = shared.borrow_mut();
            if t.shell.busy() {
                return;
            }
            if t.cursor == t.history.len() {
                t.draft = input.value();
            }
            let cursor = if key == "ArrowUp" {
                t.cursor.saturating_sub(1)
            } else {
                (t.cursor + 1).min(t.history.len())
            };
            t.cursor = cursor;
            let text = t
                .history
                .get(cursor)
                .cloned()
                .unwrap_or_else(|| t.draft.clone());
            input.set_value(&text);
            let end = u32::try_from(text.len()).unwrap_or(0);
            let _ = input.set_selection_range(end, end);
        }
        (false, "Tab") => {
            event.prevent_default();
            let line = input.value();
            let mut t = shared.borrow_mut();
            if t.shell.busy() {
                return;
            }
            let candidates = t.shell.complete(&line);
            let partial_start = if line.ends_with(' ') {
                line.len()
            } else {
                line.rfind(' ').map_or(0, |at| at + 1)
            };
            match candidates.as_slice() {
                [] => {}
                [one] => input.set_value(&format!("{}{one} ", &line[..partial_start])),
                many => {
                    let common = common_prefix(many);
                    if common.len() > line.len() - partial_start {
                        input.set_value(&format!("{}{common}", &line[..partial_start]));
                    } else {
                        let prompt = t.shell.prompt();
                        t.print(Stream::Echo, &format!("{prompt}{line}"));
                        t.print(Stream::Stdout, &many.join("  "));
                    }
                }
            }
        }
        (true, "c") | (true, "C") => {
            // With text selected, Ctrl-C copies, as in a terminal app.
            let selected = input.selection_start().ok().flatten()
                != input.selection_end().ok().flatten()
                || web_sys::window()
                    .and_then(|w| w.get_selection().ok().flatten())
                    .is_some_and(|s| !s.is_collapsed());
            if selected {
                return;
            }
            event.prevent_default();
            input.set_value("");
            let effects = shared.borrow_mut().shell.interrupt();
            apply(shared, effects);
        }
        (true, "d") | (true, "D") => {
            event.prevent_default();
            let effects = shared.borrow_mut().shell.end_of_input();
            apply(shared, effects);
        }
        (true, "l") | (true, "L") => {
            event.prevent_default();
            apply(shared, vec![Effect::Clear]);
        }
        _ => {}
    }
}

fn common_prefix(words: &[String]) -> String {
    let Some(first) = words.first() else {
        return String::new();
    };
    let mut end = first.len();
    for w in &words[1..] {
        end = end.min(
            first
                .char_indices()
                .zip(w.chars())
                .take_while(|((_, a), b)| a == b)
                .last()
                .map_or(0, |((i, a), _)| i + a.len_utf8()),
        );
    }
    first[..end].to_owned()
}

/// Opens a connection of the terminal's own to `engine`: through a
/// `MessageChannel` to the page's worker (local mode), or a WebSocket to
/// the server's URL (live mode); then says hello.
fn connect(shared: &Shared, engine: &JsValue) -> Option<()> {
    let weak = Rc::downgrade(shared);
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let Some(shared) = weak.upgrade() else { return };
        let data = event.data();
        let Some(buffer) = data.dyn_ref::<js_sys::ArrayBuffer>() else {
            return;
        };
        let bytes = js_sys::Uint8Array::new(buffer).to_vec();
        receive(&shared, &bytes);
    });
    let hello = encode_binary(&ToEngine::Hello {
        version: VERSION,
        client: concat!("kafka-playground-console ", env!("CARGO_PKG_VERSION")).to_owned(),
    });
    let channel = if let Some(worker) = engine.dyn_ref::<web_sys::Worker>() {
        let channel = web_sys::MessageChannel::new().ok()?;
        let theirs = channel.port2();
        worker
            .post_message_with_transfer(
                &JsValue::from_str(port::WORKER_CONNECT),
                &js_sys::Array::of1(&theirs),
            )
            .ok()?;
        let port = channel.port1();
        port.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let channel = Channel::Port(port);
        channel.send(&hello);
        channel
    } else {
        let url = engine.as_string()?;
        let socket = WebSocket::new(&url).ok()?;
        socket.set_binary_type(web_sys::BinaryType::Arraybuffer);
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let on_open = {
            let socket = socket.clone();
            Closure::<dyn Fn()>::new(move || {
                let _ = socket.send_with_u8_array(&hello);
            })
        };
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        let weak = Rc::downgrade(shared);
        let on_close = Closure::<dyn Fn()>::new(move || {
            let Some(shared) = weak.upgrade() else { return };
            let mut t = shared.borrow_mut();
            if !t.closed {
                t.welcomed = false;
                t.print(Stream::Stderr, "The connection to the server closed.");
            }
        });
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        let mut t = shared.borrow_mut();
        t.keep.push(Box::new(on_open));
        t.keep.push(Box::new(on_close));
        drop(t);
        Channel::Socket(socket)
    };
    let mut t = shared.borrow_mut();
    t.channel = Some(channel);
    t.keep.insert(0, Box::new(on_message));
    Some(())
}

/// A message from the engine.
fn receive(shared: &Shared, bytes: &[u8]) {
    let message = match decode_binary::<FromEngine>(bytes) {
        Ok(message) => message,
        Err(e) => {
            shared.borrow_mut().print(
                Stream::Stderr,
                &format!("The engine sent what this console cannot read: {e}"),
            );
            return;
        }
    };
    match message {
        FromEngine::Welcome { engine, .. } => {
            let refresh = {
                let mut t = shared.borrow_mut();
                t.welcomed = true;
                if engine.mode == port::Mode::Live {
                    // The live server's addresses are what its tools take.
                    let mut endpoints = Endpoints::default();
                    if let Some(bootstrap) = engine.bootstrap {
                        endpoints.bootstrap = bootstrap;
                    }
                    if let Some(registry) = engine.schema_registry {
                        endpoints.schema_registry = registry;
                    }
                    if let Some(connect) = engine.connect {
                        endpoints.connect = connect;
                    }
                    t.shell.set_endpoints(endpoints);
                }
                let greeting = format!(
                    "Kafka's tools, against {}. Try: kafka-topics --bootstrap-server {} --list   (help lists the tools)",
                    engine.name,
                    t.shell.endpoints().bootstrap
                );
                t.print(Stream::Note, &greeting);
                let queued = std::mem::take(&mut t.queued);
                if let Some(channel) = &t.channel {
                    for bytes in queued {
                        channel.send(&bytes);
                    }
                }
                t.shell.refresh()
            };
            apply(shared, refresh);
        }
        FromEngine::Reply { id, outcome } => {
            let effects = shared.borrow_mut().shell.on_reply(id, outcome.into());
            apply(shared, effects);
        }
        FromEngine::Refused { reason, .. } | FromEngine::ProtocolError { reason } => {
            shared.borrow_mut().print(
                Stream::Stderr,
                &format!("The engine refused the console: {reason}"),
            );
        }
        FromEngine::Update { .. } => {}
    }
}

/// Log4j's time: `2026-01-01 00:00:00,000` (this browser's time, UTC).
fn log_time() -> String {
    // `YYYY-MM-DDTHH:MM:SS.mmmZ`, fixed width.
    let iso = port::time::utc(js_sys::Date::now() as i64);
    format!("{} {},{}", &iso[..10], &iso[11..19], &iso[20..23])
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn load_history() -> Vec<String> {
    storage()
        .and_then(|s| s.get_item(HISTORY_KEY).ok().flatten())
        .map(|text| text.lines().map(str::to_owned).collect())
        .unwrap_or_default()
}

fn load_files() -> Vec<(String, String)> {
    storage()
        .and_then(|s| s.get_item(FILES_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn save_files(files: &[(String, String)]) {
    if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(files)) {
        // A full storage only costs the files; nothing to recover.
        let _ = storage.set_item(FILES_KEY, &text);
    }
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The newest lines of the scrollback, kept while the view is closed.
fn save_scrollback(output: &Element) {
    let rows = output.children();
    let count = rows.length();
    let kept: Vec<(String, String)> = (count.saturating_sub(SCROLLBACK_KEPT as u32)..count)
        .filter_map(|i| rows.item(i))
        .map(|row| {
            let class = row
                .class_name()
                .trim_start_matches("console-line ")
                .to_owned();
            (class, row.text_content().unwrap_or_default())
        })
        .collect();
    if let (Some(storage), Ok(text)) = (session(), serde_json::to_string(&kept)) {
        let _ = storage.set_item(SCROLLBACK_KEY, &text);
    }
}

/// The scrollback kept when the view closed, taken (a reload starts a
/// fresh terminal, as a new terminal window does).
fn load_scrollback() -> Vec<(String, String)> {
    let Some(storage) = session() else {
        return Vec::new();
    };
    let kept = storage.get_item(SCROLLBACK_KEY).ok().flatten();
    let _ = storage.remove_item(SCROLLBACK_KEY);
    kept.and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

fn save_history(history: &[String]) {
    if let Some(storage) = storage() {
        // A full storage only costs the history; nothing to recover.
        let _ = storage.set_item(HISTORY_KEY, &history.join("\n"));
    }
}
