//! FileStream connectors on real files. The engine's Connect worker reads
//! and writes a file system of its own (in the browser there is no other);
//! the native server mirrors the files its FileStream connectors name to
//! the disk, so `FileStreamSource` and `FileStreamSink` behave as in Kafka
//! Connect: bytes appended to a source connector's file (`echo line >>
//! file`) are handed to the worker, and the lines a sink connector writes
//! are appended to its file. Paths are used as given, relative ones from
//! the server's working directory, like Connect's.

use std::collections::HashMap;
use std::io::{Read, Seek, SeekFrom, Write};

use engine::connect::plugins::ConnectorType;
use engine::playground::Playground;

/// What has been mirrored so far.
#[derive(Debug, Default)]
pub struct FileBridge {
    /// Per sink file: how many of the worker's bytes are already on disk.
    written: HashMap<String, usize>,
}

impl FileBridge {
    /// Copies new bytes of source files into the worker and new sink
    /// output out to the disk. File errors are logged once per call and
    /// skipped: a missing source file is what the task itself reports.
    pub fn sync(&mut self, playground: &mut Playground) {
        let Some(worker) = playground.connect_worker_mut() else {
            return;
        };
        for name in worker.connectors() {
            let Some(file) = worker
                .connector_config(&name)
                .ok()
                .and_then(|c| c.get("file").cloned())
            else {
                continue;
            };
            match worker.connector_type(&name) {
                Some(ConnectorType::Source) => {
                    let have = worker.file_bytes(&file).map_or(0, <[u8]>::len);
                    match read_from(&file, have) {
                        Ok(bytes) if !bytes.is_empty() => {
                            worker.append_bytes_to_file(&file, &bytes)
                        }
                        Ok(_) => {}
                        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
                        Err(err) => eprintln!("[connect] cannot read {file}: {err}"),
                    }
                }
                Some(ConnectorType::Sink) => {
                    let Some(bytes) = worker.file_bytes(&file) else {
                        continue;
                    };
                    let done = self.written.entry(file.clone()).or_insert(0);
                    if bytes.len() > *done {
                        match append(&file, &bytes[*done..]) {
                            Ok(()) => *done = bytes.len(),
                            Err(err) => eprintln!("[connect] cannot write {file}: {err}"),
                        }
                    }
                }
                None => {}
            }
        }
    }
}

/// The file's bytes from `offset` on (nothing if it is shorter).
fn read_from(path: &str, offset: usize) -> std::io::Result<Vec<u8>> {
    let mut file = std::fs::File::open(path)?;
    let len = usize::try_from(file.metadata()?.len()).unwrap_or(usize::MAX);
    if len <= offset {
        return Ok(Vec::new());
    }
    file.seek(SeekFrom::Start(offset as u64))?;
    let mut bytes = Vec::with_capacity(len - offset);
    file.take((len - offset) as u64).read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn append(path: &str, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?
        .write_all(bytes)
}
