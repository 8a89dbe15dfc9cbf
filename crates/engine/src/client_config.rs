//! Configuration machinery the client configurations share: Java's
//! `ConfigDef` (types, validators, parsing, the common post-processing of
//! `CommonClientConfigs`, `logUnused`) and librdkafka's property table and
//! `rd_kafka_conf_set()`, with the C library behaviour it depends on.
//!
//! [`crate::producer_config`] and [`crate::consumer_config`] each add their
//! own config list (Java) or finalize step (librdkafka) on top. Nothing here
//! is public outside the crate.

/// Java's `ConfigDef` and `AbstractConfig`, as the Kafka 4.2 clients use them.
pub(crate) mod java {
    use std::fmt;

    use crate::compact_sort::CollectBTree;
    use crate::producer_config::{ConfigNotice, DescribedConfig, NoticeLevel};
    use crate::topic_config::{
        java_double_to_string, java_equals_ignore_case, java_trim, parse_java_double, split_list,
    };

    /// `ConfigDef.Type`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(crate) enum Type {
        Boolean,
        Str,
        Int,
        Short,
        Long,
        Double,
        List,
        Class,
        Password,
    }

    impl Type {
        /// The name in `Not a number of type LONG`.
        const fn name(self) -> &'static str {
            match self {
                Self::Boolean => "BOOLEAN",
                Self::Str => "STRING",
                Self::Int => "INT",
                Self::Short => "SHORT",
                Self::Long => "LONG",
                Self::Double => "DOUBLE",
                Self::List => "LIST",
                Self::Class => "CLASS",
                Self::Password => "PASSWORD",
            }
        }
    }

    /// A config's default.
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub(crate) enum Fallback {
        /// `NO_DEFAULT_VALUE`: the config is required.
        Required,
        /// `null`.
        Null,
        /// A value, parsed with the config's type.
        Value(&'static str),
    }

    /// A `ConfigDef.Validator`.
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub(crate) enum Check {
        None,
        /// `Range.atLeast`.
        AtLeast(i64),
        /// `Range.between`.
        Between(i64, i64),
        /// `Range.between` with `Double` bounds.
        DoubleBetween(f64, f64),
        /// `ValidString.in`, case-sensitive, listed in this order.
        OneOf(&'static [&'static str]),
        /// `CaseInsensitiveValidString.in`: upper-case names, listed in the
        /// iteration order of the `HashSet` Kafka keeps them in.
        OneOfIgnoreCase(&'static [&'static str]),
        /// `NonEmptyString`.
        NonEmpty,
        /// `ValidList.anyNonDuplicateValues(isEmptyAllowed, false)`.
        List {
            empty_allowed: bool,
        },
        /// `GzipCompression`'s level validator.
        GzipLevel,
        /// A consumer validator whose message restates the value (`Invalid
        /// value `x` for configuration n. ` then `expected`):
        /// `AutoOffsetResetStrategy.Validator`,
        /// `ShareAcknowledgementMode.Validator`,
        /// `ShareAcquireMode.Validator`.
        Restated {
            /// What the validator accepts.
            accepts: Accepts,
            /// The sentence after the restated value.
            expected: &'static str,
        },
    }

    /// What a [`Check::Restated`] validator accepts.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(crate) enum Accepts {
        /// `AutoOffsetResetStrategy.fromString`: `latest`, `earliest`,
        /// `none` (case-sensitive) or `by_duration:` and a non-negative
        /// ISO-8601 duration.
        OffsetResetStrategy,
        /// One of these names, case-sensitive.
        Exactly(&'static [&'static str]),
        /// An enum constant after `toUpperCase(Locale.ROOT)`.
        UpperCased(&'static [&'static str]),
    }

    impl Accepts {
        fn accepts(self, value: &str) -> bool {
            match self {
                Self::OffsetResetStrategy => match value {
                    "latest" | "earliest" | "none" => true,
                    _ => value
                        .strip_prefix("by_duration:")
                        .and_then(parse_java_duration)
                        .is_some_and(|(seconds, _)| seconds >= 0),
                },
                Self::Exactly(names) => names.contains(&value),
                Self::UpperCased(names) => names.contains(&value.to_uppercase().as_str()),
            }
        }
    }

    /// `java.time.Duration.parse`: `[-+]P[nD][T[nH][nM][n[.f]S]]`, letters
    /// in either case, at least one section and no empty `T` part. Returns
    /// the duration as Java holds it (seconds, then nanoseconds in
    /// `0..1_000_000_000`), or `None` where Java throws
    /// `DateTimeParseException` (malformed, or overflowing a `long` of
    /// seconds).
    pub(crate) fn parse_java_duration(text: &str) -> Option<(i64, i32)> {
        let bytes = text.as_bytes();
        let mut at = 0;
        let sign = |at: &mut usize| match bytes.get(*at) {
            Some(b'-') => {
                *at += 1;
                true
            }
            Some(b'+') => {
                *at += 1;
                false
            }
            _ => false,
        };
        // A `[-+]?[0-9]+` group: its `Long.parseLong` value and whether it
        // had a minus sign.
        let number = |at: &mut usize| -> Option<Option<(i64, bool)>> {
            let start = *at;
            let negative = sign(at);
            let digits = *at;
            while bytes.get(*at).is_some_and(u8::is_ascii_digit) {
                *at += 1;
            }
            if *at == digits {
                *at = start;
                return Some(None);
            }
            let magnitude: i128 = text[digits..*at].parse().ok()?;
            let value = if negative { -magnitude } else { magnitude };
            Some(Some((i64::try_from(value).ok()?, negative)))
        };
        let letter = |at: usize, c: u8| bytes.get(at).is_some_and(|b| b.eq_ignore_ascii_case(&c));

        let negate = sign(&mut at);
        if !letter(at, b'P') {
            return None;
        }
        at += 1;
        let mut sections = 0;
        // Days, hours and minutes in seconds, then seconds, as parsed.
        let mut parts = [0i64; 4];
        let mut nanos: i128 = 0;
        let before_days = at;
        if let Some((days, _)) = number(&mut at)? {
            if !letter(at, b'D') {
                return None;
            }
            at += 1;
            sections += 1;
            parts[0] = days.checked_mul(86_400)?;
        } else {
            at = before_days;
        }
        if letter(at, b'T') {
            at += 1;
            let mut next_unit = 0; // 0: H, M or S may follow; 1: M or S; 2: S
            let mut time_sections = 0;
            while at < bytes.len() {
                let (value, negative) = number(&mut at)??;
                let unit = bytes.get(at).map(u8::to_ascii_uppercase);
                match unit {
                    Some(b'H') if next_unit == 0 => {
                        parts[1] = value.checked_mul(3600)?;
                        next_unit = 1;
                        at += 1;
                    }
                    Some(b'M') if next_unit <= 1 => {
                        parts[2] = value.checked_mul(60)?;
                        next_unit = 2;
                        at += 1;
                    }
                    Some(b'S' | b'.' | b',') => {
                        parts[3] = value;
                        if unit != Some(b'S') {
                            at += 1;
                            let start = at;
                            while bytes.get(at).is_some_and(u8::is_ascii_digit) {
                                at += 1;
                            }
                            let digits = &text[start..at];
                            if digits.len() > 9 || !letter(at, b'S') {
                                return None;
                            }
                            if !digits.is_empty() {
                                let fraction: i128 = digits.parse().ok()?;
                                let scaled = fraction * 10i128.pow(9 - digits.len() as u32);
                                nanos = if negative { -scaled } else { scaled };
                            }
                        }
                        at += 1;
                        next_unit = 3;
                    }
                    _ => return None,
                }
                time_sections += 1;
                if next_unit == 3 {
                    break;
                }
            }
            if time_sections == 0 {
                return None;
            }
            sections += time_sections;
        }
        if at != bytes.len() || sections == 0 {
            return None;
        }
        // `Math.addExact(days, addExact(hours, addExact(minutes, seconds)))`,
        // then `ofSeconds(seconds, nanos)` and `negated()`, each throwing on
        // `long` overflow.
        let total = parts[0].checked_add(parts[1].checked_add(parts[2].checked_add(parts[3])?)?)?;
        let mut seconds = i128::from(total) + nanos.div_euclid(1_000_000_000);
        let mut nanos = nanos.rem_euclid(1_000_000_000);
        if negate {
            let exact = -(seconds * 1_000_000_000 + nanos);
            seconds = exact.div_euclid(1_000_000_000);
            nanos = exact.rem_euclid(1_000_000_000);
        }
        let seconds = i64::try_from(seconds).ok()?;
        // In range: `rem_euclid` of 10^9.
        let nanos = i32::try_from(nanos).ok()?;
        Some((seconds, nanos))
    }

    /// One `ConfigDef.define(...)` of a client config.
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub(crate) struct Spec {
        pub(crate) name: &'static str,
        pub(crate) ty: Type,
        pub(crate) default: Fallback,
        pub(crate) check: Check,
    }

    pub(crate) const fn spec(
        name: &'static str,
        ty: Type,
        default: Fallback,
        check: Check,
    ) -> Spec {
        Spec {
            name,
            ty,
            default,
            check,
        }
    }

    pub(crate) const fn v(value: &'static str) -> Fallback {
        Fallback::Value(value)
    }

    use Check as C;
    use Fallback as D;
    use Type as T;

    pub(crate) const DNS_LOOKUPS: &[&str] = &[
        "use_all_dns_ips",
        "resolve_canonical_bootstrap_servers_only",
    ];
    pub(crate) const RECORDING_LEVELS: &[&str] = &["INFO", "DEBUG", "TRACE"];
    /// `SecurityProtocol` names in their `HashSet` iteration order.
    pub(crate) const SECURITY_PROTOCOLS: &[&str] =
        &["SASL_SSL", "PLAINTEXT", "SSL", "SASL_PLAINTEXT"];
    /// `MetadataRecoveryStrategy` names in their `HashSet` iteration order.
    pub(crate) const RECOVERY_STRATEGIES: &[&str] = &["REBOOTSTRAP", "NONE"];
    /// The assertion algorithms in their `HashSet` iteration order.
    pub(crate) const ASSERTION_ALGORITHMS: &[&str] = &["ES256", "RS256"];

    /// The configs `withClientSslSupport()` and `withClientSaslSupport()`
    /// add to a client's `ConfigDef` (`SslConfigs.addClientSslSupport`,
    /// `SaslConfigs.addClientSaslSupport`), in definition order.
    pub(crate) const SECURITY_SPECS: &[Spec] = &[
        // SslConfigs.addClientSslSupport
        spec("ssl.protocol", T::Str, v("TLSv1.3"), C::None),
        spec("ssl.provider", T::Str, D::Null, C::None),
        spec("ssl.cipher.suites", T::List, D::Null, C::None),
        spec(
            "ssl.enabled.protocols",
            T::List,
            v("TLSv1.2,TLSv1.3"),
            C::None,
        ),
        spec("ssl.keystore.type", T::Str, v("JKS"), C::None),
        spec("ssl.keystore.location", T::Str, D::Null, C::None),
        spec("ssl.keystore.password", T::Password, D::Null, C::None),
        spec("ssl.key.password", T::Password, D::Null, C::None),
        spec("ssl.keystore.key", T::Password, D::Null, C::None),
        spec(
            "ssl.keystore.certificate.chain",
            T::Password,
            D::Null,
            C::None,
        ),
        spec("ssl.truststore.certificates", T::Password, D::Null, C::None),
        spec("ssl.truststore.type", T::Str, v("JKS"), C::None),
        spec("ssl.truststore.location", T::Str, D::Null, C::None),
        spec("ssl.truststore.password", T::Password, D::Null, C::None),
        spec("ssl.keymanager.algorithm", T::Str, v("SunX509"), C::None),
        spec("ssl.trustmanager.algorithm", T::Str, v("PKIX"), C::None),
        spec(
            "ssl.endpoint.identification.algorithm",
            T::Str,
            v("https"),
            C::None,
        ),
        spec("ssl.secure.random.implementation", T::Str, D::Null, C::None),
        spec("ssl.engine.factory.class", T::Class, D::Null, C::None),
        // SaslConfigs.addClientSaslSupport
        spec("sasl.kerberos.service.name", T::Str, D::Null, C::None),
        spec(
            "sasl.kerberos.kinit.cmd",
            T::Str,
            v("/usr/bin/kinit"),
            C::None,
        ),
        spec(
            "sasl.kerberos.ticket.renew.window.factor",
            T::Double,
            v("0.8"),
            C::None,
        ),
        spec(
            "sasl.kerberos.ticket.renew.jitter",
            T::Double,
            v("0.05"),
            C::None,
        ),
        spec(
            "sasl.kerberos.min.time.before.relogin",
            T::Long,
            v("60000"),
            C::None,
        ),
        spec(
            "sasl.login.refresh.window.factor",
            T::Double,
            v("0.8"),
            C::DoubleBetween(0.5, 1.0),
        ),
        spec(
            "sasl.login.refresh.window.jitter",
            T::Double,
            v("0.05"),
            C::DoubleBetween(0.0, 0.25),
        ),
        spec(
            "sasl.login.refresh.min.period.seconds",
            T::Short,
            v("60"),
            C::Between(0, 900),
        ),
        spec(
            "sasl.login.refresh.buffer.seconds",
            T::Short,
            v("300"),
            C::Between(0, 3600),
        ),
        spec("sasl.mechanism", T::Str, v("GSSAPI"), C::None),
        spec("sasl.jaas.config", T::Password, D::Null, C::None),
        spec(
            "sasl.client.callback.handler.class",
            T::Class,
            D::Null,
            C::None,
        ),
        spec(
            "sasl.login.callback.handler.class",
            T::Class,
            D::Null,
            C::None,
        ),
        spec("sasl.login.class", T::Class, D::Null, C::None),
        spec("sasl.login.connect.timeout.ms", T::Int, D::Null, C::None),
        spec("sasl.login.read.timeout.ms", T::Int, D::Null, C::None),
        spec(
            "sasl.login.retry.backoff.max.ms",
            T::Long,
            v("10000"),
            C::None,
        ),
        spec("sasl.login.retry.backoff.ms", T::Long, v("100"), C::None),
        spec(
            "sasl.oauthbearer.jwt.retriever.class",
            T::Class,
            v("org.apache.kafka.common.security.oauthbearer.DefaultJwtRetriever"),
            C::None,
        ),
        spec(
            "sasl.oauthbearer.jwt.validator.class",
            T::Class,
            v("org.apache.kafka.common.security.oauthbearer.DefaultJwtValidator"),
            C::None,
        ),
        spec("sasl.oauthbearer.scope", T::Str, D::Null, C::None),
        spec(
            "sasl.oauthbearer.client.credentials.client.id",
            T::Str,
            D::Null,
            C::None,
        ),
        spec(
            "sasl.oauthbearer.client.credentials.client.secret",
            T::Password,
            D::Null,
            C::None,
        ),
        spec(
            "sasl.oauthbearer.assertion.algorithm",
            T::Str,
            v("RS256"),
            C::OneOfIgnoreCase(ASSERTION_ALGORITHMS),
        ),
        spec(
            "sasl.oauthbearer.assertion.claim.aud",
            T::Str,
            D::Null,
            C::None,
        ),
        spec(
            "sasl.oauthbearer.assertion.claim.exp.seconds",
            T::Int,
            v("300"),
            C::Between(0, 86_400),
        ),
        spec(
            "sasl.oauthbearer.assertion.claim.iss",
            T::Str,
            D::Null,
            C::None,
        ),
        spec(
            "sasl.oauthbearer.assertion.claim.jti.include",
            T::Boolean,
            v("false"),
            C::None,
        ),
        spec(
            "sasl.oauthbearer.assertion.claim.nbf.seconds",
            T::Int,
            v("60"),
            C::Between(0, 3600),
        ),
        spec(
            "sasl.oauthbearer.assertion.claim.sub",
            T::Str,
            D::Null,
            C::None,
        ),
        spec("sasl.oauthbearer.assertion.file", T::Str, D::Null, C::None),
        spec(
            "sasl.oauthbearer.assertion.private.key.file",
            T::Str,
            D::Null,
            C::None,
        ),
        spec(
            "sasl.oauthbearer.assertion.private.key.passphrase",
            T::Password,
            D::Null,
            C::None,
        ),
        spec(
            "sasl.oauthbearer.assertion.template.file",
            T::Str,
            D::Null,
            C::None,
        ),
        spec(
            "sasl.oauthbearer.scope.claim.name",
            T::Str,
            v("scope"),
            C::None,
        ),
        spec("sasl.oauthbearer.sub.claim.name", T::Str, v("sub"), C::None),
        spec(
            "sasl.oauthbearer.token.endpoint.url",
            T::Str,
            D::Null,
            C::None,
        ),
        spec(
            "sasl.oauthbearer.jwks.endpoint.url",
            T::Str,
            D::Null,
            C::None,
        ),
        spec(
            "sasl.oauthbearer.jwks.endpoint.refresh.ms",
            T::Long,
            v("3600000"),
            C::None,
        ),
        spec(
            "sasl.oauthbearer.jwks.endpoint.retry.backoff.max.ms",
            T::Long,
            v("10000"),
            C::None,
        ),
        spec(
            "sasl.oauthbearer.jwks.endpoint.retry.backoff.ms",
            T::Long,
            v("100"),
            C::None,
        ),
        spec(
            "sasl.oauthbearer.clock.skew.seconds",
            T::Int,
            v("30"),
            C::None,
        ),
        spec(
            "sasl.oauthbearer.expected.audience",
            T::List,
            v(""),
            C::List {
                empty_allowed: true,
            },
        ),
        spec("sasl.oauthbearer.expected.issuer", T::Str, D::Null, C::None),
        spec(
            "sasl.oauthbearer.header.urlencode",
            T::Boolean,
            v("false"),
            C::None,
        ),
    ];

    /// A parsed config value, as `ConfigDef.parseType` returns it.
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) enum Value {
        Null,
        Bool(bool),
        Str(String),
        Int(i32),
        Short(i16),
        Long(i64),
        Double(f64),
        List(Vec<String>),
        Class(String),
        Password(String),
    }

    impl fmt::Display for Value {
        /// As the `ProducerConfig values:` and `ConsumerConfig values:` startup logs print it.
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                Self::Null => f.write_str("null"),
                Self::Bool(b) => write!(f, "{b}"),
                Self::Str(s) => f.write_str(s),
                Self::Int(n) => write!(f, "{n}"),
                Self::Short(n) => write!(f, "{n}"),
                Self::Long(n) => write!(f, "{n}"),
                Self::Double(d) => f.write_str(&java_double_to_string(*d)),
                Self::List(items) => write!(f, "[{}]", items.join(", ")),
                Self::Class(name) => write!(f, "class {name}"),
                Self::Password(_) => f.write_str("[hidden]"),
            }
        }
    }

    /// `ConfigException(name, value, message)`.
    pub(crate) fn invalid(
        name: &str,
        value: impl fmt::Display,
        message: impl fmt::Display,
    ) -> String {
        format!("Invalid value {value} for configuration {name}: {message}")
    }

    /// `ConfigDef.parseType` of a string value.
    pub(crate) fn parse_type(name: &str, raw: &str, ty: Type) -> Result<Value, String> {
        let trimmed = java_trim(raw);
        let not_a_number = || invalid(name, raw, format!("Not a number of type {}", ty.name()));
        Ok(match ty {
            Type::Boolean => {
                if java_equals_ignore_case(trimmed, "true") {
                    Value::Bool(true)
                } else if java_equals_ignore_case(trimmed, "false") {
                    Value::Bool(false)
                } else {
                    return Err(invalid(
                        name,
                        raw,
                        "Expected value to be either true or false",
                    ));
                }
            }
            Type::Str => Value::Str(trimmed.to_owned()),
            Type::Password => Value::Password(trimmed.to_owned()),
            Type::Int => Value::Int(trimmed.parse().map_err(|_| not_a_number())?),
            Type::Short => Value::Short(trimmed.parse().map_err(|_| not_a_number())?),
            Type::Long => Value::Long(trimmed.parse().map_err(|_| not_a_number())?),
            Type::Double => Value::Double(parse_java_double(raw).ok_or_else(not_a_number)?),
            Type::List => Value::List(split_list(raw).into_iter().map(str::to_owned).collect()),
            Type::Class => {
                if is_binary_class_name(trimmed) {
                    Value::Class(trimmed.to_owned())
                } else {
                    return Err(invalid(
                        name,
                        raw,
                        format!("Class {raw} could not be found."),
                    ));
                }
            }
        })
    }

    /// Whether `name` could be a class `ClassLoader.loadClass` finds: a
    /// dot-separated sequence of Java identifiers. The playground has no
    /// classpath, so any well-formed name is taken to exist.
    pub(crate) fn is_binary_class_name(name: &str) -> bool {
        !name.is_empty()
            && name.split('.').all(|part| {
                let mut chars = part.chars();
                match chars.next() {
                    Some(first) if first.is_alphabetic() || first == '_' || first == '$' => {
                        chars.all(|c| c.is_alphanumeric() || c == '_' || c == '$')
                    }
                    _ => false,
                }
            })
    }

    /// The validator's `ensureValid`.
    pub(crate) fn ensure_valid(spec: &Spec, value: &Value) -> Result<(), String> {
        let name = spec.name;
        let number = match value {
            Value::Int(n) => Some(i64::from(*n)),
            Value::Short(n) => Some(i64::from(*n)),
            Value::Long(n) => Some(*n),
            _ => None,
        };
        match spec.check {
            Check::None => Ok(()),
            Check::AtLeast(min) => check_range(name, number, Some(min), None),
            Check::Between(min, max) => check_range(name, number, Some(min), Some(max)),
            Check::DoubleBetween(min, max) => match value {
                // Java compares doubles, so NaN passes both bounds.
                Value::Double(d) if *d < min => Err(invalid(
                    name,
                    java_double_to_string(*d),
                    format!("Value must be at least {}", java_double_to_string(min)),
                )),
                Value::Double(d) if *d > max => Err(invalid(
                    name,
                    java_double_to_string(*d),
                    format!("Value must be no more than {}", java_double_to_string(max)),
                )),
                _ => Ok(()),
            },
            Check::OneOf(valid) => match value {
                Value::Str(s) if !valid.contains(&s.as_str()) => Err(invalid(
                    name,
                    s,
                    format!("String must be one of: {}", valid.join(", ")),
                )),
                _ => Ok(()),
            },
            Check::OneOfIgnoreCase(valid) => match value {
                Value::Str(s) if !valid.contains(&s.to_uppercase().as_str()) => Err(invalid(
                    name,
                    s,
                    format!(
                        "String must be one of (case insensitive): {}",
                        valid.join(", ")
                    ),
                )),
                _ => Ok(()),
            },
            Check::NonEmpty => match value {
                Value::Str(s) if s.is_empty() => Err(invalid(name, s, "String must be non-empty")),
                _ => Ok(()),
            },
            Check::List { empty_allowed } => match value {
                Value::List(items) => {
                    if !empty_allowed && items.is_empty() {
                        return Err(format!(
                            "Configuration '{name}' must not be empty. Valid values include: \
                             any non-empty value"
                        ));
                    }
                    let distinct: crate::collections::OrdSet<&String> = items.iter().collect_set();
                    if distinct.len() != items.len() {
                        return Err(format!(
                            "Configuration '{name}' values must not be duplicated."
                        ));
                    }
                    if items.iter().any(String::is_empty) {
                        return Err(format!("Configuration '{name}' values must not be empty."));
                    }
                    Ok(())
                }
                _ => Err(format!("Configuration '{name}' values must not be null.")),
            },
            Check::Restated { accepts, expected } => match value {
                Value::Str(s) if !accepts.accepts(s) => Err(invalid(
                    name,
                    s,
                    format!("Invalid value `{s}` for configuration {name}. {expected}"),
                )),
                _ => Ok(()),
            },
            Check::GzipLevel => {
                match value {
                    Value::Int(level) if *level > 9 || (*level < 1 && *level != -1) => Err(
                        invalid(name, level, "Value must be between 1 and 9 or equal to -1"),
                    ),
                    _ => Ok(()),
                }
            }
        }
    }

    /// `Range.ensureValid`.
    fn check_range(
        name: &str,
        value: Option<i64>,
        min: Option<i64>,
        max: Option<i64>,
    ) -> Result<(), String> {
        let Some(n) = value else {
            return Err(invalid(name, "null", "Value must be non-null"));
        };
        if let Some(min) = min {
            if n < min {
                return Err(invalid(name, n, format!("Value must be at least {min}")));
            }
        }
        if let Some(max) = max {
            if n > max {
                return Err(invalid(
                    name,
                    n,
                    format!("Value must be no more than {max}"),
                ));
            }
        }
        Ok(())
    }

    /// A client's parsed configuration: one value per entry of its spec
    /// list, and the user's pairs (`AbstractConfig.originals`).
    pub(crate) struct Parsed<'a> {
        specs: &'static [Spec],
        values: Vec<Value>,
        /// Distinct names in first-seen order, each with its last value.
        originals: Vec<(&'a str, &'a str)>,
    }

    impl<'a> Parsed<'a> {
        /// `ConfigDef.parse` over `specs`: every config in definition order,
        /// the first bad value reported. With `strict`, the `serializers`
        /// (`append*ToConfig`, before anything is parsed) and configs without
        /// a default are required as the real client requires them.
        pub(crate) fn parse(
            specs: &'static [Spec],
            pairs: &[(&'a str, &'a str)],
            strict: bool,
            serializers: [&str; 2],
        ) -> Result<Self, String> {
            let mut originals: Vec<(&'a str, &'a str)> = Vec::new();
            for &(name, value) in pairs {
                match originals.iter_mut().find(|(n, _)| *n == name) {
                    Some(entry) => entry.1 = value,
                    None => originals.push((name, value)),
                }
            }
            let original = |name: &str| originals.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);

            if strict {
                for key in serializers {
                    if original(key).is_none() {
                        return Err(format!(
                            "Invalid value null for configuration {key}: must be non-null."
                        ));
                    }
                }
            }

            let mut values = Vec::with_capacity(specs.len());
            for spec in specs {
                let value = match (original(spec.name), spec.default) {
                    (Some(raw), _) => {
                        let value = parse_type(spec.name, raw, spec.ty)?;
                        ensure_valid(spec, &value)?;
                        value
                    }
                    (None, Fallback::Required) if strict => {
                        return Err(format!(
                            "Missing required configuration \"{}\" which has no default value.",
                            spec.name
                        ));
                    }
                    (None, Fallback::Required | Fallback::Null) => Value::Null,
                    // Defaults are valid (the defaults tests parse every one).
                    (None, Fallback::Value(default)) => {
                        parse_type(spec.name, default, spec.ty).unwrap_or(Value::Null)
                    }
                };
                values.push(value);
            }
            Ok(Self {
                specs,
                values,
                originals,
            })
        }

        /// The user's value for `name`, as given.
        pub(crate) fn original(&self, name: &str) -> Option<&'a str> {
            self.originals
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| *v)
        }

        /// Whether the user set `name` (`originals().containsKey`).
        pub(crate) fn is_set(&self, name: &str) -> bool {
            self.originals.iter().any(|(n, _)| *n == name)
        }

        /// The parsed value of `name` (`Null` for a name the list lacks).
        pub(crate) fn get(&self, name: &str) -> &Value {
            self.specs
                .iter()
                .position(|s| s.name == name)
                .and_then(|i| self.values.get(i))
                .unwrap_or(&Value::Null)
        }

        /// Replaces the value of `name`, as `postProcessParsedConfig` does.
        pub(crate) fn set(&mut self, name: &str, value: Value) {
            if let Some(slot) = self
                .specs
                .iter()
                .position(|s| s.name == name)
                .and_then(|i| self.values.get_mut(i))
            {
                *slot = value;
            }
        }

        // The typed getters fall back to a neutral value for a name or type
        // the list does not have; the defaults tests pin every one of them.

        /// A `LONG`, `INT` or `SHORT` value.
        pub(crate) fn long(&self, name: &str) -> i64 {
            match self.get(name) {
                Value::Long(n) => *n,
                Value::Int(n) => i64::from(*n),
                Value::Short(n) => i64::from(*n),
                _ => 0,
            }
        }

        /// An `INT` value.
        pub(crate) fn int(&self, name: &str) -> i32 {
            match self.get(name) {
                Value::Int(n) => *n,
                _ => 0,
            }
        }

        /// A `BOOLEAN` value.
        pub(crate) fn boolean(&self, name: &str) -> bool {
            matches!(self.get(name), Value::Bool(true))
        }

        /// A `STRING` or `CLASS` value (`None` for `null`).
        pub(crate) fn string(&self, name: &str) -> Option<&str> {
            match self.get(name) {
                Value::Str(s) | Value::Class(s) => Some(s),
                _ => None,
            }
        }

        /// A `LIST` value (empty for `null`).
        pub(crate) fn list(&self, name: &str) -> Vec<String> {
            match self.get(name) {
                Value::List(items) => items.clone(),
                _ => Vec::new(),
            }
        }

        /// `AbstractConfig.logUnused` for names no config has: `These
        /// configurations '[..]' were supplied but are not used yet.`, the
        /// names in `HashSet` order.
        pub(crate) fn unused_notice(&self) -> Option<ConfigNotice> {
            let unknown: Vec<&str> = self
                .originals
                .iter()
                .map(|(name, _)| *name)
                .filter(|name| !self.specs.iter().any(|s| s.name == *name))
                .collect();
            if unknown.is_empty() {
                return None;
            }
            let ordered = java_hash_set_order(&unknown, self.originals.len());
            Some(ConfigNotice::new(
                NoticeLevel::Info,
                format!(
                    "These configurations '[{}]' were supplied but are not used yet.",
                    ordered.join(", ")
                ),
            ))
        }

        /// Every config with its value as `value_of` prints it, sorted by
        /// name as the client's `... values:` startup log lists them.
        pub(crate) fn describe(
            &self,
            value_of: impl Fn(&Spec, &Value) -> String,
        ) -> Vec<DescribedConfig> {
            let mut described: Vec<DescribedConfig> = self
                .specs
                .iter()
                .zip(&self.values)
                .map(|(spec, value)| DescribedConfig {
                    name: spec.name,
                    value: value_of(spec, value),
                    is_set: self.is_set(spec.name),
                    topic_level: false,
                    sensitive: spec.ty == Type::Password,
                    aliases: Vec::new(),
                })
                .collect();
            crate::compact_sort::sort_by_key(&mut described, |d| d.name);
            described
        }
    }

    /// The first steps of every client's `postProcessParsedConfig`, in
    /// order: `CommonClientConfigs.postValidateSaslMechanismConfig`,
    /// `warnDisablingExponentialBackoff` and
    /// `postProcessReconnectBackoffConfigs`. Returns the `ConfigException`
    /// message.
    pub(crate) fn post_process_common(
        cfg: &mut Parsed<'_>,
        notices: &mut Vec<ConfigNotice>,
    ) -> Result<(), String> {
        let warn = |m: String| ConfigNotice::new(NoticeLevel::Warning, m);
        // 1. CommonClientConfigs.postValidateSaslMechanismConfig
        let protocol = cfg.string("security.protocol").unwrap_or("").to_uppercase();
        if (protocol == "SASL_PLAINTEXT" || protocol == "SASL_SSL")
            && cfg.string("sasl.mechanism").is_none_or(str::is_empty)
        {
            return Err(
                "Invalid value null for configuration sasl.mechanism: When the security.protocol \
                 configuration enables SASL, mechanism must be non-null and non-empty string."
                    .to_owned(),
            );
        }
        // 2. CommonClientConfigs.warnDisablingExponentialBackoff
        for (base, max, what) in [
            ("retry.backoff.ms", "retry.backoff.max.ms", "backoff"),
            (
                "socket.connection.setup.timeout.ms",
                "socket.connection.setup.timeout.max.ms",
                "connection setup timeout",
            ),
        ] {
            let (b, m) = (cfg.long(base), cfg.long(max));
            if b > m {
                notices.push(warn(format!(
                    "Configuration '{base}' with value '{b}' is greater than configuration \
                     '{max}' with value '{m}'. A static {what} with value '{m}' will be applied."
                )));
            }
        }
        // 3. CommonClientConfigs.postProcessReconnectBackoffConfigs
        if !cfg.is_set("reconnect.backoff.max.ms") && cfg.is_set("reconnect.backoff.ms") {
            notices.push(warn(
                "Disabling exponential reconnect backoff because reconnect.backoff.ms is set, but \
                 reconnect.backoff.max.ms is not."
                    .to_owned(),
            ));
            let base = cfg.long("reconnect.backoff.ms");
            cfg.set("reconnect.backoff.max.ms", Value::Long(base));
        }
        Ok(())
    }

    /// Concatenates spec lists at compile time, so that clients share the
    /// lists they have in common (`N` must be the total length; a mismatch
    /// fails the build, as the assertion runs during constant evaluation).
    pub(crate) const fn concat_specs<const N: usize>(parts: &[&[Spec]]) -> [Spec; N] {
        let mut out = [spec("", Type::Str, Fallback::Null, Check::None); N];
        let mut n = 0;
        let mut p = 0;
        while p < parts.len() {
            let part = parts[p];
            let mut i = 0;
            while i < part.len() {
                out[n] = part[i];
                n += 1;
                i += 1;
            }
            p += 1;
        }
        // Evaluated in const items only: a wrong `N` is a compile error.
        assert!(n == N, "concat_specs: N is not the total length");
        out
    }

    /// `String.hashCode`, over UTF-16 code units.
    pub(crate) fn java_string_hash(s: &str) -> i32 {
        s.encode_utf16().fold(0i32, |h, unit| {
            h.wrapping_mul(31).wrapping_add(i32::from(unit))
        })
    }

    /// The iteration order of `new HashSet<>(originals.keySet())` after
    /// `removeAll(used)`: bucket order of a table sized for `source_size`
    /// keys (`max(n / .75f + 1, 16)` rounded up to a power of two), bucket
    /// index `(h ^ (h >>> 16)) & (size - 1)`. Keys sharing a bucket keep the
    /// order given.
    pub(crate) fn java_hash_set_order<'a>(items: &[&'a str], source_size: usize) -> Vec<&'a str> {
        // Java computes `(int) (size / .75f) + 1` in float arithmetic; any
        // realistic number of configs is exact in f32.
        let wanted = ((source_size as f32 / 0.75) as usize + 1).max(16);
        let table = wanted.next_power_of_two();
        let bucket = |s: &str| {
            // Bit reinterpretation of Java's int hash.
            let h = java_string_hash(s) as u32;
            ((h ^ (h >> 16)) as usize) & (table - 1)
        };
        let mut ordered = items.to_vec();
        crate::compact_sort::sort_by_key(&mut ordered, |s| bucket(s));
        ordered
    }
}

/// librdkafka's `rd_kafka_properties[]`, `rd_kafka_conf_set()` and the parts
/// of `rd_kafka_conf_finalize()` and `rd_kafka_conf_warn()` every client
/// type runs.
pub(crate) mod rdkafka {
    use crate::partitioner::PartitionerKind;
    use crate::producer_config::{ConfigNotice, DescribedConfig, NoticeLevel};

    /// Which clients a property applies to (the `C/P` column).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(crate) enum Role {
        Both,
        Producer,
        Consumer,
    }

    /// A string property's `validate` function.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(crate) enum Validate {
        None,
        /// `rd_kafka_conf_validate_single`: no `,` and no space.
        Single,
        /// `rd_kafka_conf_validate_partitioner`.
        Partitioner,
    }

    /// A property's `_RK_C_*` type with its range and default.
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub(crate) enum Kind {
        /// `_RK_C_STR` (left-trimmed) or `_RK_C_KSTR` (`trim: false`).
        Str {
            default: Option<&'static str>,
            validate: Validate,
            trim: bool,
        },
        /// `_RK_C_INT`, with optional names (`all` for `acks`).
        Int {
            min: i32,
            max: i32,
            default: i32,
            names: &'static [(&'static str, i32)],
        },
        /// `_RK_C_DBL`.
        Dbl { min: f64, max: f64, default: f64 },
        /// `_RK_C_BOOL`.
        Bool { default: bool },
        /// `_RK_C_S2I`: one of the names, ignoring ASCII case.
        Enum {
            values: &'static [(&'static str, i32)],
            default: i32,
        },
        /// `_RK_C_S2F`: comma-separated flags, `+`/`-` to add or remove.
        Flags {
            values: &'static [&'static str],
            default: u32,
        },
        /// `_RK_C_PATLIST`.
        Patterns,
        /// `_RK_C_PTR`: set through a dedicated function only.
        Callback,
        /// `_RK_C_INTERNAL`.
        Internal,
        /// `_RK_C_INVALID`: a Java property librdkafka explains instead.
        Invalid { message: &'static str },
        /// `_RK_C_ALIAS`.
        Alias { target: &'static str },
    }

    const DEPRECATED: u8 = 1;
    const EXPERIMENTAL: u8 = 2;
    const HIDDEN: u8 = 4;
    const SENSITIVE: u8 = 8;

    /// One entry of `rd_kafka_properties[]`.
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub(crate) struct Prop {
        pub(crate) name: &'static str,
        pub(crate) topic: bool,
        pub(crate) role: Role,
        pub(crate) kind: Kind,
        flags: u8,
        unsupported: Option<&'static str>,
        /// The description, kept for deprecated and experimental properties,
        /// whose warning quotes it.
        desc: &'static str,
    }

    impl Prop {
        const fn producer(mut self) -> Self {
            self.role = Role::Producer;
            self
        }
        const fn consumer(mut self) -> Self {
            self.role = Role::Consumer;
            self
        }
        const fn deprecated(mut self, desc: &'static str) -> Self {
            self.flags |= DEPRECATED;
            self.desc = desc;
            self
        }
        const fn experimental(mut self, desc: &'static str) -> Self {
            self.flags |= EXPERIMENTAL;
            self.desc = desc;
            self
        }
        const fn hidden(mut self) -> Self {
            self.flags |= HIDDEN;
            self
        }
        const fn sensitive(mut self) -> Self {
            self.flags |= SENSITIVE;
            self
        }
        const fn unsupported(mut self, why: &'static str) -> Self {
            self.unsupported = Some(why);
            self
        }
        pub(crate) const fn is_hidden(&self) -> bool {
            self.flags & HIDDEN != 0
        }
    }

    /// A global property.
    const fn g(name: &'static str, kind: Kind) -> Prop {
        Prop {
            name,
            topic: false,
            role: Role::Both,
            kind,
            flags: 0,
            unsupported: None,
            desc: "",
        }
    }

    /// A topic property.
    const fn t(name: &'static str, kind: Kind) -> Prop {
        Prop {
            topic: true,
            ..g(name, kind)
        }
    }

    const fn s() -> Kind {
        Kind::Str {
            default: None,
            validate: Validate::None,
            trim: true,
        }
    }
    const fn sd(default: &'static str) -> Kind {
        Kind::Str {
            default: Some(default),
            validate: Validate::None,
            trim: true,
        }
    }
    const fn ks(default: &'static str) -> Kind {
        Kind::Str {
            default: Some(default),
            validate: Validate::None,
            trim: false,
        }
    }
    const fn i(min: i32, max: i32, default: i32) -> Kind {
        Kind::Int {
            min,
            max,
            default,
            names: &[],
        }
    }
    const fn b(default: bool) -> Kind {
        Kind::Bool { default }
    }
    const fn e(values: &'static [(&'static str, i32)], default: i32) -> Kind {
        Kind::Enum { values, default }
    }
    const fn alias(target: &'static str) -> Kind {
        Kind::Alias { target }
    }
    const CB: Kind = Kind::Callback;
    const MAX: i32 = i32::MAX;

    const FEATURES: &[&str] = &[
        "gzip",
        "snappy",
        "ssl",
        "sasl",
        "regex",
        "lz4",
        "sasl_gssapi",
        "sasl_plain",
        "sasl_scram",
        "plugins",
        "zstd",
        "sasl_oauthbearer",
        "http",
        "oidc",
    ];
    /// `RD_KAFKA_DBG_*`, one bit each; `all` sets every bit.
    const DEBUG_CONTEXTS: &[&str] = &[
        "generic",
        "broker",
        "topic",
        "metadata",
        "feature",
        "queue",
        "msg",
        "protocol",
        "cgrp",
        "security",
        "fetch",
        "interceptor",
        "plugin",
        "consumer",
        "admin",
        "eos",
        "mock",
        "assignor",
        "conf",
        "telemetry",
        "all",
    ];
    pub(crate) const CODECS: &[(&str, i32)] = &[
        ("none", 0),
        ("gzip", 1),
        ("snappy", 2),
        ("lz4", 3),
        ("zstd", 4),
    ];
    /// `RD_KAFKA_COMPRESSION_INHERIT`.
    pub(crate) const INHERIT: i32 = 5;
    const TOPIC_CODECS: &[(&str, i32)] = &[
        ("none", 0),
        ("gzip", 1),
        ("snappy", 2),
        ("lz4", 3),
        ("zstd", 4),
        ("inherit", INHERIT),
    ];
    const JAAS_NOTE: &str = "Java JAAS configuration is not supported, see \
         https://github.com/confluentinc/librdkafka/wiki/Using-SASL-with-librdkafka \
         for more information.";
    const TRUSTSTORE_NOTE: &str =
        "Java TrustStores are not supported, use `ssl.ca.location` and a certificate file \
         instead. See https://github.com/confluentinc/librdkafka/wiki/Using-SSL-with-librdkafka \
         for more information.";
    const NO_LONGER_USED: &str = "No longer used.";
    const OFFSET_STORE_METHOD_DESC: &str =
        "Offset commit store method: 'file' - DEPRECATED: local file store (offset.store.path, \
         et.al), 'broker' - broker commit store (requires Apache Kafka 0.8.2 or later on the \
         broker).";

    /// The librdkafka 2.x property table, in its own order: global
    /// properties, then topic properties.
    pub(crate) const PROPS: &[Prop] = &[
        g("builtin.features", Kind::Flags { values: FEATURES, default: 0xffff }),
        g("client.id", sd("rdkafka")),
        g("client.software.name", sd("librdkafka")).hidden(),
        g("client.software.version", s()).hidden(),
        g("metadata.broker.list", s()),
        g("bootstrap.servers", alias("metadata.broker.list")),
        g("message.max.bytes", i(1000, 1_000_000_000, 1_000_000)),
        g("message.copy.max.bytes", i(0, 1_000_000_000, 65_535)),
        g("receive.message.max.bytes", i(1000, MAX, 100_000_000)),
        g("max.in.flight.requests.per.connection", i(1, 1_000_000, 1_000_000)),
        g("max.in.flight", alias("max.in.flight.requests.per.connection")),
        g("metadata.recovery.strategy", e(&[("none", 0), ("rebootstrap", 1)], 1)),
        g("metadata.recovery.rebootstrap.trigger.ms", i(0, MAX, 300_000)),
        g("metadata.request.timeout.ms", i(10, 900_000, 10)).hidden().deprecated("Not used."),
        g("topic.metadata.refresh.interval.ms", i(-1, 3_600_000, 300_000)),
        g("metadata.max.age.ms", i(1, 86_400_000, 900_000)),
        g("topic.metadata.refresh.fast.interval.ms", i(1, 60_000, 100)),
        g("topic.metadata.refresh.fast.cnt", i(0, 1000, 10)).deprecated(NO_LONGER_USED),
        g("topic.metadata.refresh.sparse", b(true)),
        g("topic.metadata.propagation.max.ms", i(0, 3_600_000, 30_000)),
        g("topic.blacklist", Kind::Patterns),
        g("debug", Kind::Flags { values: DEBUG_CONTEXTS, default: 0 }),
        g("socket.timeout.ms", i(10, 300_000, 60_000)),
        g("socket.blocking.max.ms", i(1, 60_000, 1000)).deprecated(NO_LONGER_USED),
        g("socket.send.buffer.bytes", i(0, 100_000_000, 0)),
        g("socket.receive.buffer.bytes", i(0, 100_000_000, 0)),
        g("socket.keepalive.enable", b(false)),
        g("socket.nagle.disable", b(true)),
        g("socket.max.fails", i(0, 1_000_000, 1)),
        g("broker.address.ttl", i(0, 86_400_000, 1000)),
        g("broker.address.family", e(&[("any", 0), ("v4", 2), ("v6", 10)], 0)),
        g("socket.connection.setup.timeout.ms", i(1000, MAX, 30_000)),
        g("connections.max.idle.ms", i(0, MAX, 0)),
        g("enable.sparse.connections", b(true)).hidden(),
        g("reconnect.backoff.jitter.ms", i(0, 3_600_000, 0)).deprecated(
            "No longer used. See `reconnect.backoff.ms` and `reconnect.backoff.max.ms`.",
        ),
        g("reconnect.backoff.ms", i(0, 3_600_000, 100)),
        g("reconnect.backoff.max.ms", i(0, 3_600_000, 10_000)),
        g("statistics.interval.ms", i(0, 86_400_000, 0)),
        g("enabled_events", i(0, MAX, 0)),
        g("error_cb", CB),
        g("throttle_cb", CB),
        g("stats_cb", CB),
        g("log_cb", CB),
        g("log_level", i(0, 7, 6)),
        g("log.queue", b(false)),
        g("log.thread.name", b(true)),
        g("enable.random.seed", b(true)),
        g("log.connection.close", b(true)),
        g("background_event_cb", CB),
        g("socket_cb", CB),
        g("connect_cb", CB),
        g("closesocket_cb", CB),
        g("open_cb", CB),
        g("resolve_cb", CB),
        g("opaque", CB),
        g("default_topic_conf", CB),
        g("internal.termination.signal", i(0, 128, 0)),
        g("api.version.request", b(true)).deprecated(
            "Request broker's supported API versions to adjust functionality to available \
             protocol features. If set to false, or the ApiVersionRequest fails, the fallback \
             version `broker.version.fallback` will be used. **NOTE**: Depends on broker version \
             >=0.10.0. If the request is not supported by (an older) broker the \
             `broker.version.fallback` fallback is used.",
        ),
        g("api.version.request.timeout.ms", i(1, 300_000, 10_000)),
        g("api.version.fallback.ms", i(0, 604_800_000, 0)).deprecated(
            "Dictates how long the `broker.version.fallback` fallback is used in the case the \
             ApiVersionRequest fails. **NOTE**: The ApiVersionRequest is only issued when a new \
             connection to the broker is made (such as after an upgrade).",
        ),
        g("broker.version.fallback", sd("0.10.0")).deprecated(
            "Older broker versions (before 0.10.0) provide no way for a client to query for \
             supported protocol features (ApiVersionRequest, see `api.version.request`) making \
             it impossible for the client to know what features it may use. As a workaround a \
             user may set this property to the expected broker version and the client will \
             automatically adjust its feature set accordingly if the ApiVersionRequest fails (or \
             is disabled). The fallback broker version will be used for \
             `api.version.fallback.ms`. Valid values are: 0.9.0, 0.8.2, 0.8.1, 0.8.0. Any other \
             value >= 0.10, such as 0.10.2.1, enables ApiVersionRequests.",
        ),
        g("allow.auto.create.topics", b(false)),
        g(
            "security.protocol",
            e(
                &[("plaintext", 0), ("ssl", 1), ("sasl_plaintext", 2), ("sasl_ssl", 3)],
                0,
            ),
        ),
        g("ssl.cipher.suites", s()),
        g("ssl.curves.list", s()),
        g("ssl.sigalgs.list", s()),
        g("ssl.key.location", s()).sensitive(),
        g("ssl.key.password", s()).sensitive(),
        g("ssl.key.pem", s()).sensitive(),
        g("ssl_key", Kind::Internal).sensitive(),
        g("ssl.certificate.location", s()),
        g("ssl.certificate.pem", s()),
        g("ssl_certificate", Kind::Internal),
        g("ssl.ca.location", s()),
        g("https.ca.location", s()),
        g("https.ca.pem", s()),
        g("ssl.ca.pem", s()).sensitive(),
        g("ssl_ca", Kind::Internal),
        g("ssl.ca.certificate.stores", sd("Root")).unsupported("configuration only valid on Windows"),
        g("ssl.crl.location", s()),
        g("ssl.keystore.location", s()),
        g("ssl.keystore.password", s()).sensitive(),
        g("ssl.providers", s()),
        g("ssl.engine.location", s()).deprecated(
            "Path to OpenSSL engine library. OpenSSL >= 1.1.x required. DEPRECATED: OpenSSL \
             engine support is deprecated and should be replaced by OpenSSL 3 providers.",
        ),
        g("ssl.engine.id", sd("dynamic")),
        g("ssl_engine_callback_data", CB),
        g("enable.ssl.certificate.verification", b(true)),
        g("ssl.endpoint.identification.algorithm", e(&[("none", 0), ("https", 1)], 1)),
        g("ssl.certificate.verify_cb", CB),
        g("ssl.truststore.location", Kind::Invalid { message: TRUSTSTORE_NOTE }),
        g("sasl.jaas.config", Kind::Invalid { message: JAAS_NOTE }),
        g(
            "sasl.mechanisms",
            Kind::Str {
                default: Some("GSSAPI"),
                validate: Validate::Single,
                trim: true,
            },
        ),
        g("sasl.mechanism", alias("sasl.mechanisms")),
        g("sasl.kerberos.service.name", sd("kafka")),
        g("sasl.kerberos.principal", sd("kafkaclient")),
        g(
            "sasl.kerberos.kinit.cmd",
            sd("kinit -R -t \"%{sasl.kerberos.keytab}\" -k %{sasl.kerberos.principal} || \
                kinit -t \"%{sasl.kerberos.keytab}\" -k %{sasl.kerberos.principal}"),
        ),
        g("sasl.kerberos.keytab", s()),
        g("sasl.kerberos.min.time.before.relogin", i(0, 86_400_000, 60_000)),
        g("sasl.username", s()).sensitive(),
        g("sasl.password", s()).sensitive(),
        g("sasl.oauthbearer.config", s()).sensitive(),
        g("enable.sasl.oauthbearer.unsecure.jwt", b(false)),
        g("oauthbearer_token_refresh_cb", CB),
        g("enable_sasl_queue", b(false)).hidden(),
        g("sasl.oauthbearer.method", e(&[("default", 0), ("oidc", 1)], 0)),
        g("sasl.oauthbearer.client.id", s()),
        g(
            "sasl.oauthbearer.client.credentials.client.id",
            alias("sasl.oauthbearer.client.id"),
        ),
        g(
            "sasl.oauthbearer.client.credentials.client.secret",
            alias("sasl.oauthbearer.client.secret"),
        ),
        g("sasl.oauthbearer.client.secret", s()).sensitive(),
        g("sasl.oauthbearer.scope", s()),
        g("sasl.oauthbearer.extensions", s()),
        g("sasl.oauthbearer.token.endpoint.url", s()),
        g(
            "sasl.oauthbearer.grant.type",
            e(
                &[
                    ("client_credentials", 0),
                    ("urn:ietf:params:oauth:grant-type:jwt-bearer", 1),
                ],
                0,
            ),
        ),
        g("sasl.oauthbearer.assertion.algorithm", e(&[("RS256", 0), ("ES256", 1)], 0)),
        g("sasl.oauthbearer.assertion.private.key.file", s()),
        g("sasl.oauthbearer.assertion.private.key.passphrase", s()).sensitive(),
        g("sasl.oauthbearer.assertion.private.key.pem", s()).sensitive(),
        g("sasl.oauthbearer.assertion.file", s()),
        g("sasl.oauthbearer.assertion.claim.aud", s()),
        g("sasl.oauthbearer.assertion.claim.exp.seconds", i(1, MAX, 300)),
        g("sasl.oauthbearer.assertion.claim.iss", s()),
        g("sasl.oauthbearer.assertion.claim.jti.include", b(false)),
        g("sasl.oauthbearer.assertion.claim.nbf.seconds", i(0, MAX, 60)),
        g("sasl.oauthbearer.assertion.claim.sub", s()),
        g("sasl.oauthbearer.assertion.jwt.template.file", s()),
        g(
            "sasl.oauthbearer.metadata.authentication.type",
            e(&[("none", 0), ("azure_imds", 1)], 0),
        ),
        g("plugin.library.paths", s()),
        g("interceptors", Kind::Internal),
        g("test.mock.num.brokers", i(0, 10_000, 0)).hidden(),
        g("test.mock.broker.rtt", i(0, 3_600_000, 0)).hidden(),
        g("ut_handle_ProduceResponse", CB).hidden(),
        // Global consumer group and consumer properties.
        g("group.id", s()).consumer(),
        g("group.instance.id", s()).consumer(),
        g("partition.assignment.strategy", sd("range,roundrobin")).consumer(),
        g("session.timeout.ms", i(1, 3_600_000, 45_000)).consumer(),
        g("heartbeat.interval.ms", i(1, 3_600_000, 3000)).consumer(),
        g("group.protocol.type", ks("consumer")).consumer(),
        g("group.protocol", e(&[("classic", 0), ("consumer", 1)], 0)).consumer(),
        g("group.remote.assignor", s()).consumer(),
        g("coordinator.query.interval.ms", i(1, 3_600_000, 600_000)).consumer(),
        g("max.poll.interval.ms", i(1, 86_400_000, 300_000)).consumer(),
        g("enable.auto.commit", b(true)).consumer(),
        g("auto.commit.interval.ms", i(0, 86_400_000, 5000)).consumer(),
        g("enable.auto.offset.store", b(true)).consumer(),
        g("queued.min.messages", i(1, 10_000_000, 100_000)).consumer(),
        g("queued.max.messages.kbytes", i(1, 2_097_151, 65_536)).consumer(),
        g("fetch.wait.max.ms", i(0, 300_000, 500)).consumer(),
        g("fetch.queue.backoff.ms", i(0, 300_000, 1000)).consumer(),
        g("fetch.message.max.bytes", i(1, 1_000_000_000, 1_048_576)).consumer(),
        g("max.partition.fetch.bytes", alias("fetch.message.max.bytes")).consumer(),
        g("fetch.max.bytes", i(0, MAX - 512, 52_428_800)).consumer(),
        g("fetch.min.bytes", i(1, 100_000_000, 1)).consumer(),
        g("fetch.error.backoff.ms", i(0, 300_000, 500)).consumer(),
        g("offset.store.method", e(&[("none", 0), ("file", 1), ("broker", 2)], 2))
            .consumer()
            .deprecated(OFFSET_STORE_METHOD_DESC),
        g("isolation.level", e(&[("read_uncommitted", 0), ("read_committed", 1)], 1)).consumer(),
        g("consume_cb", CB).consumer(),
        g("rebalance_cb", CB).consumer(),
        g("offset_commit_cb", CB).consumer(),
        g("enable.partition.eof", b(false)).consumer(),
        g("check.crcs", b(false)).consumer(),
        g("client.rack", ks("")),
        // Global producer properties.
        g("transactional.id", s()).producer(),
        g("transaction.timeout.ms", i(1000, MAX, 60_000)).producer(),
        g("enable.idempotence", b(false)).producer(),
        g("enable.gapless.guarantee", b(false)).producer().experimental(
            "When set to `true`, any error that could result in a gap in the produced message \
             series when a batch of messages fails, will raise a fatal error \
             (ERR__GAPLESS_GUARANTEE) and stop the producer. Messages failing due to \
             `message.timeout.ms` are not covered by this guarantee. Requires \
             `enable.idempotence=true`.",
        ),
        g("queue.buffering.max.messages", i(0, MAX, 100_000)).producer(),
        g("queue.buffering.max.kbytes", i(1, MAX, 1_048_576)).producer(),
        g(
            "queue.buffering.max.ms",
            Kind::Dbl {
                min: 0.0,
                max: 900_000.0,
                default: 5.0,
            },
        )
        .producer(),
        g("linger.ms", alias("queue.buffering.max.ms")).producer(),
        g("message.send.max.retries", i(0, MAX, MAX)).producer(),
        g("retries", alias("message.send.max.retries")).producer(),
        g("retry.backoff.ms", i(1, 300_000, 100)),
        g("retry.backoff.max.ms", i(1, 300_000, 1000)),
        g("queue.buffering.backpressure.threshold", i(1, 1_000_000, 1)).producer(),
        g("compression.codec", e(CODECS, 0)).producer(),
        g("compression.type", alias("compression.codec")).producer(),
        g("batch.num.messages", i(1, 1_000_000, 10_000)).producer(),
        g("batch.size", i(1, MAX, 1_000_000)).producer(),
        g("delivery.report.only.error", b(false)).producer(),
        g("dr_cb", CB).producer(),
        g("dr_msg_cb", CB).producer(),
        g("sticky.partitioning.linger.ms", i(0, 900_000, 10)).producer(),
        g(
            "client.dns.lookup",
            e(
                &[("use_all_dns_ips", 0), ("resolve_canonical_bootstrap_servers_only", 1)],
                0,
            ),
        ),
        g("enable.metrics.push", b(true)),
        // Topic producer properties.
        t(
            "request.required.acks",
            Kind::Int {
                min: -1,
                max: 1000,
                default: -1,
                names: &[("all", -1)],
            },
        )
        .producer(),
        t("acks", alias("request.required.acks")).producer(),
        t("request.timeout.ms", i(1, 900_000, 30_000)).producer(),
        t("message.timeout.ms", i(0, MAX, 300_000)).producer(),
        t("delivery.timeout.ms", alias("message.timeout.ms")).producer(),
        t("queuing.strategy", e(&[("fifo", 0), ("lifo", 1)], 0))
            .producer()
            .deprecated("")
            .experimental(
                "Producer queuing strategy. FIFO preserves produce ordering, while LIFO \
                 prioritizes new messages.",
            ),
        t("produce.offset.report", b(false)).producer().deprecated(NO_LONGER_USED),
        t(
            "partitioner",
            Kind::Str {
                default: Some("consistent_random"),
                validate: Validate::Partitioner,
                trim: true,
            },
        )
        .producer(),
        t("partitioner_cb", CB).producer(),
        t("msg_order_cmp", CB).producer(),
        t("opaque", CB),
        t("compression.codec", e(TOPIC_CODECS, INHERIT)).producer(),
        t("compression.type", alias("compression.codec")).producer(),
        t("compression.level", i(-1, 12, -1)).producer(),
        // Topic consumer properties (the legacy simple consumer's).
        t("auto.commit.enable", b(true)).consumer().deprecated(
            "[**LEGACY PROPERTY:** This property is used by the simple legacy consumer only. \
             When using the high-level KafkaConsumer, the global `enable.auto.commit` property \
             must be used instead]. If true, periodically commit offset of the last message \
             handed to the application. This committed offset will be used when the process \
             restarts to pick up where it left off. If false, the application will have to call \
             `rd_kafka_offset_store()` to store an offset (optional). Offsets will be written to \
             broker or local file according to offset.store.method.",
        ),
        t("enable.auto.commit", alias("auto.commit.enable")).consumer(),
        t("auto.commit.interval.ms", i(10, 86_400_000, 60_000)).consumer(),
        t(
            "auto.offset.reset",
            e(
                &[
                    ("smallest", -2),
                    ("earliest", -2),
                    ("beginning", -2),
                    ("largest", -1),
                    ("latest", -1),
                    ("end", -1),
                    ("error", -1001),
                ],
                -1,
            ),
        )
        .consumer(),
        t("offset.store.path", sd(".")).consumer().deprecated(
            "Path to local file for storing offsets. If the path is a directory a filename will \
             be automatically generated in that directory based on the topic and partition. \
             File-based offset storage will be removed in a future version.",
        ),
        t("offset.store.sync.interval.ms", i(-1, 86_400_000, -1)).consumer().deprecated(
            "fsync() interval for the offset file, in milliseconds. Use -1 to disable syncing, \
             and 0 for immediate sync after each write. File-based offset storage will be \
             removed in a future version.",
        ),
        t("offset.store.method", e(&[("file", 1), ("broker", 2)], 2)).consumer().deprecated(
            "Offset commit store method: 'file' - DEPRECATED: local file store \
             (offset.store.path, et.al), 'broker' - broker commit store (requires \"group.id\" \
             to be configured and Apache Kafka 0.8.2 or later on the broker.).",
        ),
        t("consume.callback.max.messages", i(0, 1_000_000, 0)).consumer(),
    ];

    /// A stored property value.
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) enum Val {
        None,
        Str(Option<String>),
        Int(i32),
        Dbl(f64),
        Bool(bool),
        Flags(u32),
    }

    fn default_value(kind: Kind) -> Val {
        match kind {
            Kind::Str { default, .. } => Val::Str(default.map(str::to_owned)),
            Kind::Int { default, .. } | Kind::Enum { default, .. } => Val::Int(default),
            Kind::Dbl { default, .. } => Val::Dbl(default),
            Kind::Bool { default } => Val::Bool(default),
            Kind::Flags { default, .. } => Val::Flags(default),
            Kind::Patterns => Val::Str(None),
            Kind::Callback | Kind::Internal | Kind::Invalid { .. } | Kind::Alias { .. } => {
                Val::None
            }
        }
    }

    /// A global configuration with its default topic configuration, as
    /// `rd_kafka_conf_t` holds them. `values` and `modified` have one slot
    /// per [`PROPS`] entry, and every index used with them comes from
    /// [`find`], [`resolve`] or an enumeration of [`PROPS`], so indexing
    /// cannot go out of bounds.
    pub(crate) struct Conf {
        values: Vec<Val>,
        /// Whether each property was set (directly or through an alias).
        pub(crate) modified: Vec<bool>,
        /// Whether the default topic configuration exists (it is created
        /// the first time a name falls through to the topic scope).
        pub(crate) topic_conf: bool,
    }

    fn find(topic: bool, name: &str) -> Option<usize> {
        PROPS
            .iter()
            .position(|p| p.topic == topic && p.name == name)
    }

    /// Follows aliases to the real property.
    fn resolve(topic: bool, name: &str) -> Option<usize> {
        let mut name = name;
        // The table has no alias of an alias; the bound only guards loops.
        for _ in 0..4 {
            let index = find(topic, name)?;
            match PROPS[index].kind {
                Kind::Alias { target } => name = target,
                _ => return Some(index),
            }
        }
        None
    }

    impl Conf {
        fn new() -> Self {
            Self {
                values: PROPS.iter().map(|p| default_value(p.kind)).collect(),
                modified: vec![false; PROPS.len()],
                topic_conf: false,
            }
        }

        /// `rd_kafka_conf_set()`: the global scope first, then the default
        /// topic configuration (without a `topic.` prefix).
        fn conf_set(&mut self, name: &str, value: &str) -> Result<(), SetError> {
            let value = if value.is_empty() { None } else { Some(value) };
            match self.anyconf_set(false, name, value) {
                Err(SetError::Unknown(_)) => {}
                other => return other,
            }
            self.topic_conf = true;
            let name = name.strip_prefix("topic.").unwrap_or(name);
            self.anyconf_set(true, name, value)
        }

        /// `rd_kafka_anyconf_set()`.
        fn anyconf_set(
            &mut self,
            topic: bool,
            name: &str,
            value: Option<&str>,
        ) -> Result<(), SetError> {
            if find(topic, name).is_none() {
                return Err(SetError::Unknown(format!(
                    "No such configuration property: \"{name}\""
                )));
            }
            match resolve(topic, name) {
                Some(index) => self.set_prop(index, value).map_err(SetError::Invalid),
                None => Err(SetError::Unknown(format!(
                    "No such configuration property: \"{name}\""
                ))),
            }
        }

        /// `rd_kafka_anyconf_set_prop()` (and `_prop0`'s bookkeeping).
        fn set_prop(&mut self, index: usize, value: Option<&str>) -> Result<(), String> {
            let prop = PROPS[index];
            let name = prop.name;
            if let Some(why) = prop.unsupported {
                return Err(format!(
                    "Configuration property \"{name}\" not supported in this build: {why}"
                ));
            }
            let new = match prop.kind {
                Kind::Str {
                    default,
                    validate,
                    trim,
                } => {
                    let value = value.map(|v| if trim { c_ltrim(v) } else { v });
                    let valid = match (validate, value) {
                        (Validate::None, _) => true,
                        (_, None) => false,
                        (Validate::Single, Some(v)) => !v.contains(',') && !v.contains(' '),
                        (Validate::Partitioner, Some(v)) => v.parse::<PartitionerKind>().is_ok(),
                    };
                    if !valid {
                        // glibc prints a NULL `%s` as `(null)`.
                        return Err(format!(
                            "Invalid value for configuration property \"{name}\": {}",
                            value.unwrap_or("(null)")
                        ));
                    }
                    Val::Str(value.or(default).map(str::to_owned))
                }
                Kind::Patterns => Val::Str(value.map(str::to_owned)),
                Kind::Callback => {
                    if prop.is_hidden() {
                        // A hidden test hook: accepted, nothing to simulate.
                        Val::None
                    } else {
                        return Err(format!(
                            "Property \"{name}\" must be set through dedicated .._set_..() function"
                        ));
                    }
                }
                Kind::Bool { .. } => {
                    let Some(v) = value else {
                        return Err(format!(
                            "Bool configuration property \"{name}\" cannot be set to empty value"
                        ));
                    };
                    if ["true", "t"].iter().any(|s| s.eq_ignore_ascii_case(v)) || v == "1" {
                        Val::Bool(true)
                    } else if ["false", "f"].iter().any(|s| s.eq_ignore_ascii_case(v)) || v == "0" {
                        Val::Bool(false)
                    } else {
                        return Err(format!("Expected bool value for \"{name}\": true or false"));
                    }
                }
                Kind::Int {
                    min, max, names, ..
                } => {
                    let Some(v) = value else {
                        return Err(format!(
                            "Integer configuration property \"{name}\" cannot be set to empty value"
                        ));
                    };
                    let n = match c_strtol(v) {
                        // C's `(int)` conversion keeps the low 32 bits.
                        Some(n) => n as i32,
                        None => match names.iter().find(|(s, _)| s.eq_ignore_ascii_case(v)) {
                            Some(&(_, n)) => n,
                            None => {
                                return Err(format!(
                                    "Invalid value for configuration property \"{name}\""
                                ))
                            }
                        },
                    };
                    if n < min || n > max {
                        return Err(format!(
                            "Configuration property \"{name}\" value {n} is outside allowed \
                             range {min}..{max}\n"
                        ));
                    }
                    Val::Int(n)
                }
                Kind::Dbl { min, max, .. } => {
                    let Some(v) = value else {
                        return Err(format!(
                            "Float configuration property \"{name}\" cannot be set to empty value"
                        ));
                    };
                    let Some(d) = c_strtod(v) else {
                        return Err(format!(
                            "Invalid value for configuration property \"{name}\""
                        ));
                    };
                    // C compares doubles, so NaN passes both bounds.
                    if d < min || d > max {
                        return Err(format!(
                            "Configuration property \"{name}\" value {} is outside allowed range \
                             {}..{}\n",
                            c_format_g(d),
                            c_format_g(min),
                            c_format_g(max)
                        ));
                    }
                    Val::Dbl(d)
                }
                Kind::Enum { values, .. } => {
                    return self.set_tokens(index, value, |tok| {
                        values
                            .iter()
                            .find(|(s, _)| s.eq_ignore_ascii_case(tok))
                            .map(|&(_, n)| n)
                    })
                }
                Kind::Flags { values, .. } => {
                    let all = (1u32 << values.len().min(31)) - 1;
                    return self.set_tokens(index, value, |tok| {
                        values
                            .iter()
                            .position(|s| s.eq_ignore_ascii_case(tok))
                            .map(|bit| {
                                if values[bit] == "all" {
                                    // Bit reinterpretation: the flag word is an int.
                                    all as i32
                                } else {
                                    1i32 << bit
                                }
                            })
                    });
                }
                Kind::Internal => {
                    return Err(format!("Internal property \"{name}\" not settable"));
                }
                Kind::Invalid { message } => return Err(message.to_owned()),
                Kind::Alias { .. } => return Ok(()),
            };
            self.values[index] = new;
            self.modified[index] = true;
            Ok(())
        }

        /// The `_RK_C_S2I`/`_RK_C_S2F` branch: only left-trimmed tokens
        /// (librdkafka's right trim starts at the terminator and never
        /// trims), empty tokens skipped, so an all-blank value changes
        /// nothing.
        fn set_tokens(
            &mut self,
            index: usize,
            value: Option<&str>,
            lookup: impl Fn(&str) -> Option<i32>,
        ) -> Result<(), String> {
            let prop = PROPS[index];
            let name = prop.name;
            let flags = matches!(prop.kind, Kind::Flags { .. });
            let Some(value) = value else {
                return Err(format!(
                    "Configuration property \"{name}\" cannot be set to empty value"
                ));
            };
            let mut rest = Some(value);
            while let Some(current) = rest.filter(|r| !r.is_empty()) {
                let (token, next) = match current.find(',') {
                    Some(at) if flags => (&current[..at], Some(&current[at + 1..])),
                    _ => (current, None),
                };
                rest = next;
                let token = c_ltrim(token);
                let (remove, token) = if flags {
                    match token.as_bytes().first() {
                        Some(b'+') => (false, &token[1..]),
                        Some(b'-') => (true, &token[1..]),
                        _ => (false, token),
                    }
                } else {
                    (false, token)
                };
                if token.is_empty() {
                    continue;
                }
                let Some(n) = lookup(token) else {
                    return Err(format!(
                        "Invalid value \"{token}\" for configuration property \"{name}\""
                    ));
                };
                self.modified[index] = true;
                if flags {
                    // Bit reinterpretation of the flag word.
                    let bits = n as u32;
                    let current = match self.values[index] {
                        Val::Flags(f) => f,
                        _ => 0,
                    };
                    self.values[index] = Val::Flags(if remove {
                        current & !bits
                    } else {
                        current | bits
                    });
                } else {
                    self.values[index] = Val::Int(n);
                    return Ok(());
                }
            }
            Ok(())
        }

        pub(crate) fn is_modified(&self, topic: bool, name: &str) -> bool {
            resolve(topic, name).is_some_and(|i| self.modified[i])
        }

        fn value(&self, topic: bool, name: &str) -> &Val {
            resolve(topic, name)
                .and_then(|i| self.values.get(i))
                .unwrap_or(&Val::None)
        }

        pub(crate) fn put(&mut self, topic: bool, name: &str, value: Val) {
            if let Some(slot) = resolve(topic, name).and_then(|i| self.values.get_mut(i)) {
                *slot = value;
            }
        }

        // Typed getters; a name or type the table lacks gives a neutral
        // value, and the defaults tests pin every one used.
        pub(crate) fn int(&self, topic: bool, name: &str) -> i32 {
            match self.value(topic, name) {
                Val::Int(n) => *n,
                _ => 0,
            }
        }

        pub(crate) fn dbl(&self, topic: bool, name: &str) -> f64 {
            match self.value(topic, name) {
                Val::Dbl(d) => *d,
                _ => 0.0,
            }
        }

        pub(crate) fn boolean(&self, topic: bool, name: &str) -> bool {
            matches!(self.value(topic, name), Val::Bool(true))
        }

        pub(crate) fn string(&self, topic: bool, name: &str) -> Option<&str> {
            match self.value(topic, name) {
                Val::Str(s) => s.as_deref(),
                _ => None,
            }
        }

        /// The client-independent tail of `rd_kafka_conf_finalize()`, run
        /// after its producer or consumer part: derived metadata and
        /// backoff settings, the Azure idle-connection default, and
        /// `allow.auto.create.topics` by client type.
        pub(crate) fn finalize_common(&mut self, role: Role) -> Result<(), String> {
            let refresh = self.int(false, "topic.metadata.refresh.interval.ms");
            if !self.is_modified(false, "metadata.max.age.ms") && refresh > 0 {
                self.put(
                    false,
                    "metadata.max.age.ms",
                    Val::Int(refresh.saturating_mul(3)),
                );
            }
            if self.int(false, "reconnect.backoff.max.ms") < self.int(false, "reconnect.backoff.ms")
            {
                return Err("`reconnect.backoff.max.ms` must be >= `reconnect.max.ms`".into());
            }
            if !self.is_modified(false, "topic.metadata.refresh.fast.interval.ms") {
                let backoff = self.int(false, "retry.backoff.ms");
                self.put(
                    false,
                    "topic.metadata.refresh.fast.interval.ms",
                    Val::Int(backoff),
                );
            }
            let azure = self
                .string(false, "metadata.broker.list")
                .is_some_and(|list| list.to_ascii_lowercase().contains("azure"));
            if !self.is_modified(false, "connections.max.idle.ms") && azure {
                self.put(
                    false,
                    "connections.max.idle.ms",
                    Val::Int((4 * 60 - 10) * 1000),
                );
            }
            if !self.is_modified(false, "allow.auto.create.topics") {
                // Consumers do not auto-create topics by default, producers do.
                self.put(
                    false,
                    "allow.auto.create.topics",
                    Val::Bool(role == Role::Producer),
                );
            }
            Ok(())
        }

        /// `rd_kafka_conf_warn()` for a client of `role` (a producer or a
        /// consumer).
        pub(crate) fn warnings(&self, role: Role, strict: bool) -> Vec<ConfigNotice> {
            let mut notices = Vec::new();
            let warn = |m: String| ConfigNotice::new(NoticeLevel::Warning, m);
            let (other, other_name, own_name) = match role {
                Role::Consumer => (Role::Producer, "producer", "consumer"),
                _ => (Role::Consumer, "consumer", "producer"),
            };
            for topic in [false, true] {
                if topic && !self.topic_conf {
                    continue;
                }
                for (index, prop) in PROPS.iter().enumerate() {
                    if prop.topic != topic || !self.modified[index] {
                        continue;
                    }
                    let deprecated = prop.flags & DEPRECATED != 0;
                    let experimental = prop.flags & EXPERIMENTAL != 0;
                    let foreign = prop.role == other;
                    if deprecated || experimental {
                        // librdkafka puts " and " only when a property is
                        // all three (deprecated, experimental, foreign).
                        notices.push(warn(format!(
                            "Configuration property {} is {}{}{}: {}",
                            prop.name,
                            if deprecated { "deprecated" } else { "" },
                            if deprecated && experimental && foreign {
                                " and "
                            } else {
                                ""
                            },
                            if experimental { "experimental" } else { "" },
                            prop.desc
                        )));
                    }
                    if foreign {
                        notices.push(warn(format!(
                            "Configuration property {} is a {other_name} property and will be \
                             ignored by this {own_name} instance",
                            prop.name
                        )));
                    }
                }
            }
            let backoff = self.int(false, "retry.backoff.ms");
            let backoff_max = self.int(false, "retry.backoff.max.ms");
            if backoff > backoff_max {
                notices.push(warn(format!(
                    "Configuration `retry.backoff.ms` with value {backoff} is greater than \
                     configuration `retry.backoff.max.ms` with value {backoff_max}. A static \
                     backoff with value `retry.backoff.max.ms` will be applied."
                )));
            }
            let fast = self.int(false, "topic.metadata.refresh.fast.interval.ms");
            if self.is_modified(false, "topic.metadata.refresh.fast.interval.ms")
                && fast > backoff_max
            {
                notices.push(warn(format!(
                    "Configuration `topic.metadata.refresh.fast.interval.ms` with value {fast} is \
                     greater than configuration `retry.backoff.max.ms` with value {backoff_max}. \
                     A static backoff with value `retry.backoff.max.ms` will be applied."
                )));
            }
            if role == Role::Consumer {
                let wait = self.int(false, "fetch.wait.max.ms");
                let socket = self.int(false, "socket.timeout.ms");
                if i64::from(wait) + 1000 > i64::from(socket) {
                    notices.push(warn(format!(
                        "Configuration property `fetch.wait.max.ms` ({wait}) should be set lower \
                         than `socket.timeout.ms` ({socket}) by at least 1000ms to avoid blocking \
                         and timing out sub-sequent requests"
                    )));
                }
            }
            let mechanism = self.string(false, "sasl.mechanisms").unwrap_or("");
            let sasl_protocol = matches!(self.int(false, "security.protocol"), 2 | 3);
            if self.is_modified(false, "sasl.mechanisms") && !sasl_protocol {
                notices.push(warn(format!(
                    "Configuration property `sasl.mechanism` set to `{mechanism}` but \
                     `security.protocol` is not configured for SASL: recommend setting \
                     `security.protocol` to SASL_SSL or SASL_PLAINTEXT"
                )));
            }
            if self.is_modified(false, "sasl.username")
                && !(mechanism.starts_with("SCRAM") || mechanism == "PLAIN")
            {
                notices.push(warn(
                    "Configuration property `sasl.username` only applies when `sasl.mechanism` \
                     is set to PLAIN or SCRAM-SHA-.."
                        .to_owned(),
                ));
            }
            if strict && brokers(self.string(false, "metadata.broker.list")).is_empty() {
                notices.push(ConfigNotice::new(
                    NoticeLevel::Notice,
                    "No `bootstrap.servers` configured: client will not be able to connect to \
                     Kafka cluster",
                ));
            }
            notices
        }

        /// Every documented property (not aliases, callbacks or hidden
        /// ones) with its `rd_kafka_conf_get()` value, in table order,
        /// global then topic.
        pub(crate) fn described(&self) -> Vec<DescribedConfig> {
            PROPS
                .iter()
                .enumerate()
                .filter(|(_, p)| {
                    !p.is_hidden()
                        && !matches!(
                            p.kind,
                            Kind::Callback
                                | Kind::Internal
                                | Kind::Invalid { .. }
                                | Kind::Alias { .. }
                        )
                })
                .map(|(index, p)| DescribedConfig {
                    name: p.name,
                    value: self.display(index),
                    is_set: self.modified[index],
                    topic_level: p.topic,
                    sensitive: p.flags & SENSITIVE != 0,
                    aliases: PROPS
                        .iter()
                        .filter(|a| a.topic == p.topic && a.kind == Kind::Alias { target: p.name })
                        .map(|a| a.name)
                        .collect(),
                })
                .collect()
        }

        /// The value `rd_kafka_conf_get()` returns.
        fn display(&self, index: usize) -> String {
            let prop = PROPS[index];
            match (&self.values[index], prop.kind) {
                (Val::Str(s), _) => s.clone().unwrap_or_default(),
                (Val::Int(n), Kind::Enum { values, .. }) => values
                    .iter()
                    .find(|(_, v)| v == n)
                    .map(|(s, _)| (*s).to_owned())
                    .unwrap_or_default(),
                (Val::Int(n), _) => n.to_string(),
                (Val::Dbl(d), _) => c_format_g(*d),
                (Val::Bool(v), _) => v.to_string(),
                (Val::Flags(bits), Kind::Flags { values, .. }) => values
                    .iter()
                    .enumerate()
                    .filter(|(bit, name)| {
                        let mask = if **name == "all" {
                            (1u32 << values.len().min(31)) - 1
                        } else {
                            1u32 << bit
                        };
                        bits & mask == mask
                    })
                    .map(|(_, name)| *name)
                    .collect::<Vec<_>>()
                    .join(","),
                _ => String::new(),
            }
        }
    }

    pub(crate) fn clamp_i32(n: i64) -> i32 {
        i32::try_from(n.clamp(i64::from(i32::MIN), i64::from(i32::MAX))).unwrap_or(0)
    }

    /// `metadata.broker.list` split as `rd_kafka_brokers_add()` does, on
    /// commas and spaces.
    pub(crate) fn brokers(list: Option<&str>) -> Vec<String> {
        list.unwrap_or("")
            .split([',', ' '])
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// Why `rd_kafka_conf_set()` refused a pair.
    pub(crate) enum SetError {
        /// `RD_KAFKA_CONF_UNKNOWN`, with librdkafka's text.
        Unknown(String),
        /// `RD_KAFKA_CONF_INVALID`, with librdkafka's text.
        Invalid(String),
    }

    /// `rd_kafka_conf_new()`, then `rd_kafka_conf_set()` for each pair in
    /// order, stopping at the first refusal.
    pub(crate) fn apply(pairs: &[(&str, &str)]) -> Result<Conf, SetError> {
        let mut conf = Conf::new();
        for &(name, value) in pairs {
            conf.conf_set(name, value)?;
        }
        Ok(conf)
    }

    // -----------------------------------------------------------------------
    // C library behaviour (glibc, "C" locale)
    // -----------------------------------------------------------------------

    /// `isspace()`.
    pub(crate) fn c_isspace(c: char) -> bool {
        matches!(c, ' ' | '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r')
    }

    /// Skips leading `isspace()` characters.
    pub(crate) fn c_ltrim(s: &str) -> &str {
        s.trim_start_matches(c_isspace)
    }

    /// `strtol(s, &end, 0)`: `None` when no digits were converted, else the
    /// value of the longest valid prefix, saturated to `long` (64-bit).
    pub(crate) fn c_strtol(s: &str) -> Option<i64> {
        let bytes = c_ltrim(s).as_bytes();
        let (negative, digits) = match bytes.first() {
            Some(b'-') => (true, &bytes[1..]),
            Some(b'+') => (false, &bytes[1..]),
            _ => (false, bytes),
        };
        let hex_prefix = digits.len() > 2
            && digits[0] == b'0'
            && (digits[1] | 0x20) == b'x'
            && digits[2].is_ascii_hexdigit();
        let (radix, digits) = if hex_prefix {
            (16, &digits[2..])
        } else if digits.first() == Some(&b'0') {
            (8, digits)
        } else {
            (10, digits)
        };
        let limit = i128::from(i64::MAX) + 1;
        let mut value: i128 = 0;
        let mut any = false;
        for &byte in digits {
            let Some(digit) = char::from(byte).to_digit(radix) else {
                break;
            };
            any = true;
            value = (value * i128::from(radix) + i128::from(digit)).min(limit);
        }
        if !any {
            return None;
        }
        let value = if negative { -value } else { value };
        let clamped = value.clamp(i128::from(i64::MIN), i128::from(i64::MAX));
        Some(i64::try_from(clamped).unwrap_or(0))
    }

    /// `strtod(s, &end)`: `None` when nothing was converted, else the value
    /// of the longest valid prefix (decimal, hexadecimal, `inf`,
    /// `infinity`, `nan`).
    pub(crate) fn c_strtod(s: &str) -> Option<f64> {
        let s = c_ltrim(s);
        let (negative, body) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        let lower = body.get(..3).map(str::to_ascii_lowercase);
        let magnitude = if lower.as_deref() == Some("inf") {
            f64::INFINITY
        } else if lower.as_deref() == Some("nan") {
            f64::NAN
        } else if body.len() > 2
            && body.as_bytes()[0] == b'0'
            && (body.as_bytes()[1] | 0x20) == b'x'
            && (body.as_bytes()[2].is_ascii_hexdigit()
                || (body.as_bytes()[2] == b'.'
                    && body.as_bytes().get(3).is_some_and(u8::is_ascii_hexdigit)))
        {
            parse_hex_float(&body[2..])
        } else {
            parse_decimal_prefix(body)?
        };
        Some(if negative { -magnitude } else { magnitude })
    }

    /// The longest `digits[.digits][e[sign]digits]` prefix, at least one
    /// digit in the mantissa.
    fn parse_decimal_prefix(body: &str) -> Option<f64> {
        let bytes = body.as_bytes();
        let mut end = 0;
        let mut mantissa_digits = 0;
        while end < bytes.len() && bytes[end].is_ascii_digit() {
            end += 1;
            mantissa_digits += 1;
        }
        if end < bytes.len() && bytes[end] == b'.' {
            end += 1;
            while end < bytes.len() && bytes[end].is_ascii_digit() {
                end += 1;
                mantissa_digits += 1;
            }
        }
        if mantissa_digits == 0 {
            return None;
        }
        let mantissa = &body[..end];
        let mut exponent = "0";
        if end < bytes.len() && (bytes[end] | 0x20) == b'e' {
            let mut e = end + 1;
            if e < bytes.len() && (bytes[e] == b'+' || bytes[e] == b'-') {
                e += 1;
            }
            let start = e;
            while e < bytes.len() && bytes[e].is_ascii_digit() {
                e += 1;
            }
            if e > start {
                exponent = &body[end + 1..e];
            }
        }
        let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let int_part = if int_part.is_empty() { "0" } else { int_part };
        let frac_part = if frac_part.is_empty() { "0" } else { frac_part };
        format!("{int_part}.{frac_part}e{exponent}").parse().ok()
    }

    /// The digits after `0x` of a hexadecimal float, with an optional
    /// binary exponent (`p`).
    fn parse_hex_float(body: &str) -> f64 {
        let bytes = body.as_bytes();
        let mut value = 0.0f64;
        let mut scale = 0i32;
        let mut at = 0;
        while at < bytes.len() && bytes[at].is_ascii_hexdigit() {
            value = value * 16.0 + f64::from(char::from(bytes[at]).to_digit(16).unwrap_or(0));
            at += 1;
        }
        if at < bytes.len() && bytes[at] == b'.' {
            at += 1;
            while at < bytes.len() && bytes[at].is_ascii_hexdigit() {
                value = value * 16.0 + f64::from(char::from(bytes[at]).to_digit(16).unwrap_or(0));
                scale = scale.saturating_sub(4);
                at += 1;
            }
        }
        if at < bytes.len() && (bytes[at] | 0x20) == b'p' {
            let rest = &body[at + 1..];
            let (sign, digits) = match rest.as_bytes().first() {
                Some(b'-') => (-1, &rest[1..]),
                Some(b'+') => (1, &rest[1..]),
                _ => (1, rest),
            };
            let len = digits.bytes().take_while(u8::is_ascii_digit).count();
            if len > 0 {
                let exponent: i32 = digits[..len].parse().unwrap_or(i32::MAX);
                scale = scale.saturating_add(sign * exponent);
            }
        }
        value * 2f64.powi(scale)
    }

    /// `printf("%g", v)`: six significant digits, trailing zeros removed,
    /// exponent form (`1e+06`) below 1e-4 or from 1e6.
    pub(crate) fn c_format_g(v: f64) -> String {
        if v.is_nan() {
            return if v.is_sign_negative() { "-nan" } else { "nan" }.to_owned();
        }
        if v.is_infinite() {
            return if v < 0.0 { "-inf" } else { "inf" }.to_owned();
        }
        if v == 0.0 {
            return if v.is_sign_negative() { "-0" } else { "0" }.to_owned();
        }
        let scientific = format!("{v:.5e}");
        let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
        let exponent: i32 = exponent.parse().unwrap_or(0);
        let strip = |s: &str| -> String {
            if s.contains('.') {
                s.trim_end_matches('0').trim_end_matches('.').to_owned()
            } else {
                s.to_owned()
            }
        };
        if (-4..6).contains(&exponent) {
            let precision = usize::try_from(5 - exponent).unwrap_or(0);
            strip(&format!("{v:.precision$}"))
        } else {
            let sign = if exponent < 0 { '-' } else { '+' };
            format!("{}e{sign}{:02}", strip(mantissa), exponent.unsigned_abs())
        }
    }
}
