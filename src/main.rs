//! Entry point of the wasm binary that Trunk builds and `index.html` loads.

fn main() {
    kafka_playground::app::start();
}
