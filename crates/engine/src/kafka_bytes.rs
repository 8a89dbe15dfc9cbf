//! Kafka's classic (non-flexible) schema encoding, as the internal topics
//! and the consumer protocol use it: big-endian integers, `int16`-length
//! strings (-1 = null), `int32`-length bytes (-1 = null) and `int32`-counted
//! arrays. One reader and a few writers, shared by every format built on
//! them, with every length checked against the bytes that are really there.

/// Why bytes could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReadError {
    /// Fewer bytes than the field needs; `at` is where they ran out.
    Truncated { at: usize },
    /// A negative length or count, or a string that is not UTF-8.
    Malformed { at: usize },
}

/// Writes a string with its `int16` length. Kafka strings hold at most
/// `i16::MAX` bytes: a longer one is cut at a character boundary rather
/// than written with a wrapped length.
pub(crate) fn put_string(out: &mut Vec<u8>, s: &str) {
    let mut end = s.len().min(i16::MAX as usize);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    out.extend_from_slice(&i16::try_from(end).unwrap_or(i16::MAX).to_be_bytes());
    out.extend_from_slice(&s.as_bytes()[..end]);
}

/// Writes nullable bytes with their `int32` length (-1 for null).
pub(crate) fn put_nullable_bytes(out: &mut Vec<u8>, bytes: Option<&[u8]>) {
    match bytes {
        Some(b) => {
            out.extend_from_slice(&i32::try_from(b.len()).unwrap_or(i32::MAX).to_be_bytes());
            out.extend_from_slice(b);
        }
        None => out.extend_from_slice(&(-1_i32).to_be_bytes()),
    }
}

/// Reads fields in order from a byte slice.
pub(crate) struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, at: 0 }
    }

    /// Bytes not read yet.
    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len() - self.at
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], ReadError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let Some(end) = end else {
            return Err(ReadError::Truncated { at: self.at });
        };
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], ReadError> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub(crate) fn i16(&mut self) -> Result<i16, ReadError> {
        Ok(i16::from_be_bytes(self.array()?))
    }

    pub(crate) fn i32(&mut self) -> Result<i32, ReadError> {
        Ok(i32::from_be_bytes(self.array()?))
    }

    pub(crate) fn i64(&mut self) -> Result<i64, ReadError> {
        Ok(i64::from_be_bytes(self.array()?))
    }

    /// A nullable `int16`-length string.
    pub(crate) fn nullable_string(&mut self) -> Result<Option<String>, ReadError> {
        let start = self.at;
        let Ok(len) = usize::try_from(self.i16()?) else {
            return Ok(None);
        };
        let bytes = self.take(len)?;
        String::from_utf8(bytes.to_vec())
            .map(Some)
            .map_err(|_| ReadError::Malformed { at: start })
    }

    /// A non-null `int16`-length string.
    pub(crate) fn string(&mut self) -> Result<String, ReadError> {
        let at = self.at;
        self.nullable_string()?.ok_or(ReadError::Malformed { at })
    }

    /// Nullable `int32`-length bytes.
    pub(crate) fn nullable_bytes(&mut self) -> Result<Option<Vec<u8>>, ReadError> {
        let Ok(len) = usize::try_from(self.i32()?) else {
            return Ok(None);
        };
        Ok(Some(self.take(len)?.to_vec()))
    }

    /// An `int32`-counted array. The count is checked against the bytes
    /// left (every element takes at least one) before anything is allocated.
    pub(crate) fn array_of<T>(
        &mut self,
        mut each: impl FnMut(&mut Self) -> Result<T, ReadError>,
    ) -> Result<Vec<T>, ReadError> {
        let at = self.at;
        let count = usize::try_from(self.i32()?).map_err(|_| ReadError::Malformed { at })?;
        if count > self.remaining() {
            return Err(ReadError::Malformed { at });
        }
        let mut items = Vec::with_capacity(count);
        for _ in 0..count {
            items.push(each(self)?);
        }
        Ok(items)
    }
}
