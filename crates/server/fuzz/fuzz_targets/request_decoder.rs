//! The request decoder on arbitrary bytes: a frame (header and body,
//! without the size prefix) either decodes or is refused with a
//! `FrameError`, never a panic, an abort or an unbounded allocation (the
//! server's lazy allocator turns absurd array lengths into failed decodes).
#![no_main]

use bytes::Bytes;
use kafka_playground_server::kafka::decode_request;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = decode_request(Bytes::copy_from_slice(data));
});
