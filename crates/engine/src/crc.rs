//! The two CRC-32s the engine computes with one small table each: CRC-32
//! (ISO-HDLC, zlib's) for librdkafka's consistent partitioner, gzip members
//! and Avro's snappy blocks, and CRC-32C (Castagnoli) for Kafka's record
//! batches.
//!
//! Byte-at-a-time with a 1 KB table. Natively the engine checks batches
//! with the `crc32c` crate (hardware instructions where there are some);
//! with the `compact` feature (the browser app) it uses [`crc32c`] here
//! instead, which saves the crate's 8 KB of tables in the wasm.

/// The lookup table of a reflected CRC-32 with polynomial `poly` (reversed
/// bit order).
const fn table(poly: u32) -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut i = 0;
    while i < 256 {
        // i < 256, so the cast is exact.
        let mut c = i as u32;
        let mut bit = 0;
        while bit < 8 {
            c = if c & 1 == 1 { poly ^ (c >> 1) } else { c >> 1 };
            bit += 1;
        }
        table[i] = c;
        i += 1;
    }
    table
}

/// CRC-32/ISO-HDLC: polynomial `0x04c11db7`, reflected `0xedb88320`.
const CRC32_TABLE: [u32; 256] = table(0xedb8_8320);

/// CRC-32C (Castagnoli): polynomial `0x1edc6f41`, reflected `0x82f63b78`.
const CRC32C_TABLE: [u32; 256] = table(0x82f6_3b78);

/// Runs a reflected CRC-32 over `data` with initial value and final XOR
/// `0xffffffff`.
fn reflected(table: &[u32; 256], data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffff_u32;
    for &byte in data {
        let index = ((crc ^ u32::from(byte)) & 0xff) as usize;
        crc = table[index] ^ (crc >> 8);
    }
    crc ^ 0xffff_ffff
}

/// CRC-32 (ISO-HDLC, the zlib, gzip and Ethernet one). The CRC of no bytes
/// is 0.
#[must_use]
pub fn crc32(data: &[u8]) -> u32 {
    reflected(&CRC32_TABLE, data)
}

/// CRC-32C (Castagnoli), the checksum of a RecordBatch v2.
#[cfg_attr(not(feature = "compact"), allow(dead_code))]
#[must_use]
pub fn crc32c(data: &[u8]) -> u32 {
    reflected(&CRC32C_TABLE, data)
}

/// The CRC-32C of a record batch (from its attributes on): the `crc32c`
/// crate natively, [`crc32c`] in the compact build.
pub(crate) fn record_batch_crc(data: &[u8]) -> u32 {
    #[cfg(feature = "compact")]
    return crc32c(data);
    #[cfg(not(feature = "compact"))]
    return crc32c::crc32c(data);
}

/// The CRC-32 of a bulk block (an Avro snappy block): `crc32fast` natively,
/// [`crc32`] in the compact build.
pub(crate) fn block_crc32(data: &[u8]) -> u32 {
    #[cfg(feature = "compact")]
    return crc32(data);
    #[cfg(not(feature = "compact"))]
    return crc32fast::hash(data);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn check_values() {
        // The catalogue check values (input "123456789").
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32c(b"123456789"), 0xe306_9283);
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32c(b""), 0);
    }

    proptest! {
        #[test]
        fn same_as_the_crates(data in proptest::collection::vec(any::<u8>(), 0..300)) {
            prop_assert_eq!(crc32c(&data), crc32c::crc32c(&data));
            prop_assert_eq!(crc32(&data), crc32fast::hash(&data));
        }
    }
}
