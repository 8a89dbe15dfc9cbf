//! Kafka's snappy codec: snappy-java's framing (xerial's 16-byte magic
//! header, then each block of at most 32 KiB as a big-endian u32 length and
//! raw snappy), byte for byte what kafka-protocol's `Snappy` writes, and
//! read as it reads: without the magic header the whole input is one raw
//! snappy block, as snappy-java's `SnappyInputStream` falls back to.
//!
//! Its own code rather than kafka-protocol's because that codec reports
//! errors as `anyhow` errors, which capture a backtrace: calling it links
//! std's backtrace printer and a symbol demangler (≈37 KB) into the
//! browser's wasm. The errors here are kafka-protocol's messages, as its
//! errors' `to_string()` gave them.

use snap::raw::{decompress_len, Decoder, Encoder};

/// snappy-java's `SnappyOutputStream` block size.
const BLOCK_SIZE: usize = 32 * 1024;

/// snappy-java's stream header: magic, version 1, compatible version 1.
const MAGIC_HEADER: &[u8; 16] = b"\x82SNAPPY\x00\x00\x00\x00\x01\x00\x00\x00\x01";

/// The most one snappy byte can expand to, with room for a block's
/// preamble: a 3-byte copy writes at most 64 bytes. A block that claims a
/// longer output is corrupt (or hostile) and is refused before anything is
/// allocated for it.
fn plausible(block: &[u8], claimed: usize) -> bool {
    claimed <= block.len().saturating_mul(22).saturating_add(64)
}

/// `plain` in Kafka's snappy framing.
pub(crate) fn compress(plain: &[u8]) -> Result<Vec<u8>, &'static str> {
    let mut out = MAGIC_HEADER.to_vec();
    for block in plain.chunks(BLOCK_SIZE) {
        let compressed = Encoder::new()
            .compress_vec(block)
            .map_err(|_| "failed to compress snappy block")?;
        // A block of at most 32 KiB compresses to well under 4 GiB.
        out.extend_from_slice(&(compressed.len() as u32).to_be_bytes());
        out.extend_from_slice(&compressed);
    }
    Ok(out)
}

/// The bytes of a snappy-compressed record section, framed or raw.
pub(crate) fn decompress(compressed: &[u8]) -> Result<Vec<u8>, &'static str> {
    if compressed.is_empty() {
        return Err("expected some bytes in snappy stream");
    }
    let Some(mut rest) = compressed.strip_prefix(&MAGIC_HEADER[..]) else {
        let len = decompress_len(compressed).map_err(|_| "failed to read snappy header")?;
        if !plausible(compressed, len) {
            return Err("failed to decompress raw snappy bytes");
        }
        let mut plain = vec![0; len];
        Decoder::new()
            .decompress(compressed, &mut plain)
            .map_err(|_| "failed to decompress raw snappy bytes")?;
        return Ok(plain);
    };
    let mut plain = Vec::new();
    while !rest.is_empty() {
        let (length, after) = rest
            .split_first_chunk::<4>()
            .ok_or("not enough bytes to read compressed block length")?;
        let length = u32::from_be_bytes(*length) as usize;
        let block = after.get(..length).ok_or("not enough bytes for block")?;
        rest = &after[length..];
        let block_len =
            decompress_len(block).map_err(|_| "failed to get snappy uncompressed length")?;
        if !plausible(block, block_len) {
            return Err("failed to decompress snappy block");
        }
        let start = plain.len();
        plain.resize(start.saturating_add(block_len), 0);
        Decoder::new()
            .decompress(block, &mut plain[start..])
            .map_err(|_| "failed to decompress snappy block")?;
    }
    Ok(plain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::gzip::tests::sample;

    #[test]
    fn a_block_claiming_gigabytes_is_refused_before_allocating() {
        // Varint 0xffff_ffff, then one literal byte.
        let raw = [0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, b'x'];
        assert_eq!(
            decompress(&raw),
            Err("failed to decompress raw snappy bytes")
        );
        let mut framed = MAGIC_HEADER.to_vec();
        framed.extend_from_slice(&(raw.len() as u32).to_be_bytes());
        framed.extend_from_slice(&raw);
        assert_eq!(
            decompress(&framed),
            Err("failed to decompress snappy block")
        );
        // The most compressible input still decompresses.
        let plain = vec![b'a'; 1 << 20];
        assert_eq!(decompress(&compress(&plain).unwrap()).unwrap(), plain);
    }
    use bytes::{Bytes, BytesMut};
    use kafka_protocol::compression::{Compressor, Decompressor, Snappy};
    use proptest::prelude::*;

    fn kafka_protocol_compress(plain: &[u8]) -> Vec<u8> {
        let mut out = BytesMut::new();
        Snappy::compress(&mut out, |b: &mut BytesMut| {
            b.extend_from_slice(plain);
            Ok(())
        })
        .unwrap();
        out.to_vec()
    }

    /// kafka-protocol's result, its error as the engine reported it.
    fn kafka_protocol_decompress(compressed: &[u8]) -> Result<Vec<u8>, String> {
        let mut input = Bytes::copy_from_slice(compressed);
        Snappy::decompress(&mut input, |b: &mut Bytes| Ok(b.to_vec())).map_err(|e| e.to_string())
    }

    fn ours(compressed: &[u8]) -> Result<Vec<u8>, String> {
        decompress(compressed).map_err(str::to_owned)
    }

    #[test]
    fn writes_and_reads_what_kafka_protocol_does() {
        for (len, seed) in [
            (0, 0),
            (1, 1),
            (300, 2),
            (32 * 1024, 3),
            (32 * 1024 + 1, 4),
            (100_000, 5),
        ] {
            let plain = sample(len, seed);
            let framed = compress(&plain).unwrap();
            assert_eq!(framed, kafka_protocol_compress(&plain), "{len} bytes");
            assert_eq!(ours(&framed), Ok(plain.clone()));
            assert_eq!(kafka_protocol_decompress(&framed), Ok(plain.clone()));
            // Raw snappy, without the framing, is read as one block.
            let raw = Encoder::new().compress_vec(&plain).unwrap();
            assert_eq!(
                ours(&raw),
                kafka_protocol_decompress(&raw),
                "raw {len} bytes"
            );
        }
        assert_eq!(ours(&[]), kafka_protocol_decompress(&[]));
        assert_eq!(
            ours(&[]),
            Err("expected some bytes in snappy stream".to_owned())
        );
    }

    proptest! {
        /// Damaged input, framed or raw: the same bytes or the same message.
        #[test]
        fn reads_as_kafka_protocol_reads(
            len in 0usize..600,
            seed in any::<u8>(),
            framed in any::<bool>(),
            cut in 0usize..700,
            flip in proptest::option::of((0usize..700, 1u8..=255)),
            extra in proptest::collection::vec(any::<u8>(), 0..6),
        ) {
            let plain = sample(len, seed);
            let mut input = if framed { compress(&plain).unwrap() } else { Encoder::new().compress_vec(&plain).unwrap() };
            if let Some((at, bits)) = flip {
                let at = at % input.len();
                input[at] ^= bits;
            }
            input.truncate(cut.max(input.len().saturating_sub(cut % 12)));
            input.extend_from_slice(&extra);
            prop_assert_eq!(ours(&input), kafka_protocol_decompress(&input));
        }
    }
}
