//! Kafka's gzip codec for the compact (browser) build: one RFC 1952 member
//! around miniz_oxide's deflate, byte for byte what kafka-protocol's codec
//! (flate2 over the same miniz_oxide) writes and accepts, without flate2 and
//! its 16 KB CRC table in the wasm.
//!
//! Writing: the 10-byte header flate2 writes (no flags, mtime 0, XFL 0 for
//! the default level, OS 255), the deflate stream at level 6 (zlib's
//! default, what Kafka's Java producer uses too), then CRC-32 and ISIZE
//! (little-endian). Reading accepts what flate2's `write::GzDecoder`
//! accepts: exactly one member whose header may carry FEXTRA, FNAME,
//! FCOMMENT and a checked FHCRC, no reserved flag bits, a CRC-32 and length
//! that match, and no bytes after the trailer.

use crate::crc::crc32;

/// zlib's default level, flate2's `Compression::default()`.
const LEVEL: u8 = 6;

const FHCRC: u8 = 1 << 1;
const FEXTRA: u8 = 1 << 2;
const FNAME: u8 = 1 << 3;
const FCOMMENT: u8 = 1 << 4;
const FRESERVED: u8 = 0xe0;

/// `plain` as one gzip member.
pub(crate) fn compress(plain: &[u8]) -> Vec<u8> {
    let deflated = miniz_oxide::deflate::compress_to_vec(plain, LEVEL);
    let mut out = Vec::with_capacity(10 + deflated.len() + 8);
    out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
    out.extend_from_slice(&deflated);
    out.extend_from_slice(&crc32(plain).to_le_bytes());
    // ISIZE is the length modulo 2^32 (RFC 1952): the truncation is the format.
    out.extend_from_slice(&(plain.len() as u32).to_le_bytes());
    out
}

/// The bytes in one gzip member, or `None` when it is not a well-formed
/// member (the caller reports it as kafka-protocol does).
pub(crate) fn decompress(member: &[u8]) -> Option<Vec<u8>> {
    let body = member.get(header_len(member)?..)?;
    let (plain, used) = inflate(body)?;
    let trailer: [u8; 8] = body.get(used..)?.try_into().ok()?;
    let [c0, c1, c2, c3, s0, s1, s2, s3] = trailer;
    let length_matches = u32::from_le_bytes([s0, s1, s2, s3]) == plain.len() as u32;
    (u32::from_le_bytes([c0, c1, c2, c3]) == crc32(&plain) && length_matches).then_some(plain)
}

/// The length of the member's header, checked as flate2 checks it.
fn header_len(member: &[u8]) -> Option<usize> {
    let fixed = member.get(..10)?;
    let flags = fixed[3];
    if fixed[..3] != [0x1f, 0x8b, 8] || flags & FRESERVED != 0 {
        return None;
    }
    let mut at = 10;
    if flags & FEXTRA != 0 {
        let xlen = member.get(at..at + 2)?;
        at += 2 + usize::from(u16::from_le_bytes([xlen[0], xlen[1]]));
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            at += member.get(at..)?.iter().position(|&b| b == 0)? + 1;
        }
    }
    if flags & FHCRC != 0 {
        let stored = member.get(at..at + 2)?;
        // The header CRC-16 is the low half of the header's CRC-32.
        if u16::from_le_bytes([stored[0], stored[1]]) != crc32(member.get(..at)?) as u16 {
            return None;
        }
        at += 2;
    }
    (at <= member.len()).then_some(at)
}

/// Inflates the raw deflate stream at the start of `body`: the bytes and how
/// much of `body` the stream took. The output grows by doubling as the
/// stream asks for room, as miniz_oxide's own `decompress_to_vec` does.
fn inflate(body: &[u8]) -> Option<(Vec<u8>, usize)> {
    use miniz_oxide::inflate::core::{decompress, inflate_flags, DecompressorOxide};
    use miniz_oxide::inflate::TINFLStatus;

    let flags = inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
    let mut state = Box::<DecompressorOxide>::default();
    let mut out = vec![0; body.len().saturating_mul(2).max(64)];
    let (mut read, mut written) = (0, 0);
    loop {
        let (status, took, gave) = decompress(&mut state, &body[read..], &mut out, written, flags);
        read += took;
        written += gave;
        match status {
            TINFLStatus::Done => {
                out.truncate(written);
                return Some((out, read));
            }
            TINFLStatus::HasMoreOutput => {
                let grown = out.len().checked_mul(2)?;
                out.resize(grown, 0);
            }
            _ => return None,
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use bytes::{Bytes, BytesMut};
    use kafka_protocol::compression::{Compressor, Decompressor, Gzip};
    use proptest::prelude::*;

    fn kafka_protocol_gzip(plain: &[u8]) -> Vec<u8> {
        let mut out = BytesMut::new();
        Gzip::compress(&mut out, |b: &mut BytesMut| {
            b.extend_from_slice(plain);
            Ok(())
        })
        .unwrap();
        out.to_vec()
    }

    fn kafka_protocol_gunzip(member: &[u8]) -> Option<Vec<u8>> {
        let mut input = Bytes::copy_from_slice(member);
        Gzip::decompress(&mut input, |b: &mut Bytes| Ok(b.to_vec())).ok()
    }

    /// Records-like bytes: runs of a few symbols compress into several
    /// kinds of deflate blocks (the snappy tests use them too).
    pub(crate) fn sample(len: usize, seed: u8) -> Vec<u8> {
        (0..len)
            .map(|i| {
                let x = (i as u32).wrapping_mul(2_654_435_761) >> 24;
                if i % 7 < 4 {
                    b"kafka"[i % 5]
                } else {
                    (x as u8) ^ seed
                }
            })
            .collect()
    }

    #[test]
    fn writes_what_kafka_protocol_writes() {
        for (len, seed) in [(0, 0), (1, 1), (300, 2), (70_000, 3), (200_000, 4)] {
            let plain = sample(len, seed);
            let ours = compress(&plain);
            assert_eq!(ours, kafka_protocol_gzip(&plain), "{len} bytes");
            assert_eq!(decompress(&ours), Some(plain));
        }
    }

    #[test]
    fn reads_headers_with_every_optional_field() {
        let plain = sample(500, 9);
        let plain_member = compress(&plain);
        let mut header = vec![
            0x1f,
            0x8b,
            8,
            FEXTRA | FNAME | FCOMMENT | FHCRC,
            1,
            2,
            3,
            4,
            0,
            3,
        ];
        header.extend_from_slice(&[3, 0, b'a', b'b', b'c']);
        header.extend_from_slice(b"records.bin\0a comment\0");
        let header_crc = crc32(&header) as u16;
        header.extend_from_slice(&header_crc.to_le_bytes());
        let mut member = header.clone();
        member.extend_from_slice(&plain_member[10..]);
        assert_eq!(kafka_protocol_gunzip(&member), Some(plain.clone()));
        assert_eq!(decompress(&member), Some(plain));

        // A wrong header CRC-16 is refused by both.
        let at = header.len() - 2;
        member[at] ^= 1;
        assert_eq!(kafka_protocol_gunzip(&member), None);
        assert_eq!(decompress(&member), None);
    }

    proptest! {
        /// Any damage to a member gets the same verdict from both readers,
        /// and the same bytes when both accept it.
        #[test]
        fn reads_as_kafka_protocol_reads(
            len in 0usize..600,
            seed in any::<u8>(),
            cut in 0usize..700,
            flip in proptest::option::of((0usize..700, 1u8..=255)),
            extra in proptest::collection::vec(any::<u8>(), 0..3),
        ) {
            let plain = sample(len, seed);
            let mut member = compress(&plain);
            if let Some((at, bits)) = flip {
                let at = at % member.len();
                member[at] ^= bits;
            }
            member.truncate(cut.max(member.len().saturating_sub(cut % 12)));
            member.extend_from_slice(&extra);
            prop_assert_eq!(decompress(&member), kafka_protocol_gunzip(&member));
        }
    }
}
