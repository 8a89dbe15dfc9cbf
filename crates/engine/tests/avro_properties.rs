//! Properties of the Avro codec over random schemas, data and bytes: every
//! datum round-trips through the binary encoding (byte-identical to
//! apache-avro's) and the Avro JSON encoding; a schema resolves against
//! itself as the identity; a pair the compatibility checker accepts
//! decodes; and no bytes, schema pair or container file panics the decoder,
//! the resolver or the container reader.

use apache_avro::writer::datum::GenericDatumWriter;
use apache_avro::Schema;
use engine::avro::compatibility;
use engine::avro::random::{random_datum, random_schema};
use engine::avro::{read_container, write_container, Codec, ContainerCodec, Datum, JsonMode};
use engine::rng::Rng;
use proptest::prelude::*;

fn schema_for(seed: u64) -> (String, Schema) {
    let mut rng = Rng::seeded(seed);
    let text = random_schema(&mut rng, 3);
    let schema = Schema::parse_str(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
    (text, schema)
}

/// Bitwise equality (NaN-safe), by the encodings.
fn same(codec: &Codec, a: &Datum<'_>, b: &Datum<'_>) -> bool {
    codec.encode_to_vec(a).ok() == codec.encode_to_vec(b).ok()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_data_round_trips(seed in any::<u64>()) {
        let (text, schema) = schema_for(seed);
        let codec = Codec::new(&schema).expect("codec");
        let mut rng = Rng::seeded(seed ^ 0x5eed);
        for _ in 0..4 {
            let datum = random_datum(codec.writer(), &mut rng);
            let bytes = codec.encode_to_vec(&datum).expect("encode");
            prop_assert_eq!(&codec.decode_slice(&bytes).expect("decode"), &datum, "{}", text);
            let mut input = bytes.as_slice();
            codec.skip(&mut input).expect("skip");
            prop_assert!(input.is_empty());
            // apache-avro writes the same bytes (up to the order of map
            // entries: its maps are hash maps).
            let value = codec.writer().to_value(&datum).expect("value");
            let theirs = GenericDatumWriter::builder(&schema)
                .build()
                .and_then(|w| w.write_value_to_vec(value.clone()))
                .expect("apache encodes");
            prop_assert_eq!(theirs.len(), bytes.len(), "{}", text);
            let their_datum = codec.decode_slice(&theirs).expect("decode apache's");
            prop_assert_eq!(codec.writer().to_value(&their_datum).expect("value"), value.clone());
            prop_assert_eq!(codec.writer().from_value(&value).expect("from value"), datum.clone());
            // Avro JSON both ways.
            let json = codec.writer().to_json(&datum, JsonMode::Avro).expect("json");
            let back = codec.writer().from_json_text(&json, JsonMode::Avro).expect("json back");
            prop_assert!(same(&codec, &back, &datum), "{} {}", text, json);
            // Resolving against itself is the identity.
            let resolving = Codec::resolving(&schema, &schema).expect("self");
            prop_assert_eq!(&resolving.decode_slice(&bytes).expect("resolved"), &datum);
        }
    }

    #[test]
    fn random_bytes_never_panic_the_decoder(seed in any::<u64>(), bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let (_, schema) = schema_for(seed);
        let codec = Codec::new(&schema).expect("codec");
        let _ = codec.decode_slice(&bytes);
        let mut input = bytes.as_slice();
        let _ = codec.skip(&mut input);
    }

    #[test]
    fn random_pairs_never_panic_the_resolver(writer_seed in any::<u64>(), reader_seed in any::<u64>(), bytes in prop::collection::vec(any::<u8>(), 0..48)) {
        let (_, writer) = schema_for(writer_seed);
        let (_, reader) = schema_for(reader_seed);
        if let Ok(codec) = Codec::resolving(&writer, &reader) {
            let _ = codec.decode_slice(&bytes);
            let datum = random_datum(codec.writer(), &mut Rng::seeded(writer_seed));
            if let Ok(encoded) = codec.encode_to_vec(&datum) {
                let _ = codec.decode_slice(&encoded);
            }
        }
    }

    #[test]
    fn compatible_pairs_decode(seed in any::<u64>(), mutation in 0_u32..6) {
        // A reader derived from the writer: compatible by Java's checker
        // means every datum decodes through resolution.
        let (text, writer) = schema_for(seed);
        let reader_text = match mutation {
            0 => text.replace(r#""type":"int""#, r#""type":"long""#),
            1 => text.replace(r#""type":"float""#, r#""type":"double""#),
            2 => text.replace(r#""fields":["#, r#""fields":[{"name":"added","type":"string","default":"x"},"#),
            3 => text.replace(r#""symbols":["S0""#, r#""symbols":["S9","S0""#),
            4 => text.replace(r#"{"name":"f0","type":"#, r#"{"name":"zz","type":"#),
            _ => text.clone(),
        };
        let Ok(reader) = Schema::parse_str(&reader_text) else { return Ok(()) };
        let Ok(result) = compatibility::check_reader_writer(&reader, &writer) else { return Ok(()) };
        if result.is_compatible() {
            let codec = Codec::resolving(&writer, &reader).unwrap_or_else(|e| panic!("{text}\n{reader_text}\n{e}"));
            let mut rng = Rng::seeded(seed);
            for _ in 0..4 {
                let datum = random_datum(codec.writer(), &mut rng);
                let bytes = codec.encode_to_vec(&datum).expect("encode");
                let decoded = codec.decode_slice(&bytes);
                prop_assert!(decoded.is_ok(), "{}\n{}\n{:?}", text, reader_text, decoded);
            }
        }
    }

    #[test]
    fn containers_never_panic(seed in any::<u64>(), flips in prop::collection::vec((any::<usize>(), any::<u8>()), 0..4), cut in any::<usize>(), codec_pick in 0_usize..3) {
        let (text, schema) = schema_for(seed);
        let codec = Codec::new(&schema).expect("codec");
        let mut rng = Rng::seeded(seed);
        let data: Vec<Datum<'static>> = (0..5).map(|_| random_datum(codec.writer(), &mut rng)).collect();
        let container_codec = [ContainerCodec::Null, ContainerCodec::Deflate, ContainerCodec::Snappy][codec_pick];
        let mut bytes = write_container(&text, container_codec, [7; 16], &[], &data, 2).expect("write");
        let file = read_container(&bytes, None).expect("read back");
        prop_assert_eq!(file.records, data);
        for (at, byte) in flips {
            let len = bytes.len();
            bytes[at % len] ^= byte;
        }
        bytes.truncate(cut % (bytes.len() + 1));
        let _ = read_container(&bytes, None);
        let _ = read_container(&bytes, Some(&schema));
    }
}
