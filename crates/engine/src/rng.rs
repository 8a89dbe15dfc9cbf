//! The engine's only source of randomness: a small seeded generator.
//!
//! Real Kafka clients draw random numbers from the operating system or the
//! thread (`ThreadLocalRandom` in the Java client, `rand_r` in librdkafka),
//! so two runs of the same program rarely make the same choices. A
//! playground has to replay a scenario step by step, so every random choice
//! the engine makes (the next sticky partition, the `random` partitioner,
//! later jitter and the like) comes from an [`Rng`] that the caller creates
//! from a seed and passes in explicitly. The same seed and the same calls
//! give the same numbers on every platform, natively and in wasm32; there
//! is no global or thread-local state.
//!
//! The generator is SplitMix64 (Steele, Lea and Flood, 2014; the form
//! Vigna publishes for seeding the xoshiro family): 64 bits of state, one
//! addition and a short mixing function per number, and good enough
//! statistics for simulation, though of course not for cryptography.

/// The golden-ratio increment SplitMix64 adds to its state on every step.
const GOLDEN_GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

/// A deterministic pseudo-random number generator (SplitMix64).
///
/// Cloning an `Rng` forks it: the clone produces exactly the numbers the
/// original would have, which is how a caller snapshots a run to replay it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rng {
    state: u64,
}

impl Rng {
    /// A generator whose whole future output is fixed by `seed`. Every seed,
    /// zero included, is valid and gives a different sequence.
    #[must_use]
    pub fn seeded(seed: u64) -> Self {
        Self { state: seed }
    }

    /// The next 64 uniformly distributed bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN_GAMMA);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// The next 32 uniformly distributed bits (the high half of
    /// [`next_u64`](Self::next_u64), the better-mixed one).
    pub fn next_u32(&mut self) -> u32 {
        // Shifting a u64 right by 32 leaves a value that fits in a u32, so
        // the cast keeps every bit.
        (self.next_u64() >> 32) as u32
    }

    /// A uniformly distributed number in `0..n`, without modulo bias
    /// (Lemire's multiply-and-reject method, so it usually costs one draw).
    ///
    /// `n == 0` has no valid answer; rather than panic, it returns 0 and
    /// consumes no randomness. Callers that must tell the cases apart check
    /// `n` first (the partitioners return an error for zero partitions
    /// before ever getting here).
    pub fn below(&mut self, n: u32) -> u32 {
        if n == 0 {
            return 0;
        }
        let n64 = u64::from(n);
        // Values of the low half below this threshold would make some
        // results one draw more likely than others: reject and redraw.
        let threshold = n.wrapping_neg() % n;
        loop {
            let product = u64::from(self.next_u32()) * n64;
            // Truncation to the low 32 bits is the point of this cast.
            let low = product as u32;
            if low >= threshold {
                // product < 2^32 * n, so product >> 32 < n fits in a u32.
                return (product >> 32) as u32;
            }
        }
    }

    /// A number in `0..=i32::MAX`, like the Java client's
    /// `Utils.toPositive(ThreadLocalRandom.current().nextInt())`: 31 random
    /// bits as a non-negative `i32`.
    pub fn next_non_negative_i32(&mut self) -> i32 {
        // The mask leaves 31 bits, which always fit in a non-negative i32.
        (self.next_u32() & 0x7fff_ffff) as i32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_splitmix64_reference_output() {
        // The first outputs of Vigna's reference splitmix64.c for seed
        // 1234567, as quoted in many ports of it.
        let mut rng = Rng::seeded(1_234_567);
        let expected: [u64; 5] = [
            6_457_827_717_110_365_317,
            3_203_168_211_198_807_973,
            9_817_491_932_198_370_423,
            4_593_380_528_125_082_431,
            16_408_922_859_458_223_821,
        ];
        for want in expected {
            assert_eq!(rng.next_u64(), want);
        }
    }

    #[test]
    fn same_seed_same_sequence_different_seed_different_sequence() {
        let mut a = Rng::seeded(42);
        let mut b = Rng::seeded(42);
        let mut c = Rng::seeded(43);
        let xs: Vec<u64> = (0..100).map(|_| a.next_u64()).collect();
        let ys: Vec<u64> = (0..100).map(|_| b.next_u64()).collect();
        let zs: Vec<u64> = (0..100).map(|_| c.next_u64()).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, zs);
    }

    #[test]
    fn clone_forks_the_stream() {
        let mut a = Rng::seeded(7);
        a.next_u64();
        let mut b = a.clone();
        assert_eq!(a.next_u32(), b.next_u32());
        assert_eq!(a.below(1000), b.below(1000));
    }

    #[test]
    fn below_zero_is_zero_and_draws_nothing() {
        let mut a = Rng::seeded(9);
        let mut b = Rng::seeded(9);
        assert_eq!(a.below(0), 0);
        assert_eq!(a, b);
        assert_eq!(a.below(1), 0);
        b.next_u32();
        assert_eq!(a, b);
    }

    #[test]
    fn below_stays_in_range_and_covers_it_evenly() {
        let mut rng = Rng::seeded(2024);
        let mut counts = [0u32; 6];
        for _ in 0..60_000 {
            let v = rng.below(6);
            assert!(v < 6);
            counts[v as usize] += 1;
        }
        // Expected 10 000 each; a fair die stays within ±5 % here.
        for c in counts {
            assert!((9_500..=10_500).contains(&c), "{counts:?}");
        }
        for n in [1, 2, 3, 7, u32::MAX] {
            for _ in 0..100 {
                assert!(rng.below(n) < n);
            }
        }
    }

    #[test]
    fn non_negative_i32_never_negative() {
        let mut rng = Rng::seeded(5);
        assert!((0..10_000).all(|_| rng.next_non_negative_i32() >= 0));
    }
}
