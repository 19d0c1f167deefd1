//! Bytes the index builder writes once and reads back in order (feature
//! `build`): kept in memory up to a limit, then moved to a file in the
//! builder's temporary folder, so that a large site's postings, texts and
//! encoded terms never need to be in memory at once.

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, BufWriter, Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The builder's temporary folder: made on first use, removed with
/// everything in it when dropped.
#[derive(Debug)]
pub(super) struct TempDir {
    path: PathBuf,
    made: bool,
    next: u64,
}

/// Distinguishes the temporary folders of builders in one process.
static FOLDERS: AtomicU64 = AtomicU64::new(0);

impl TempDir {
    /// A folder inside `parent` (not made yet).
    pub(super) fn new(parent: &Path) -> Self {
        let n = FOLDERS.fetch_add(1, Ordering::Relaxed);
        TempDir {
            path: parent.join(format!("gongkai-index-{}-{n}", std::process::id())),
            made: false,
            next: 0,
        }
    }

    /// A new file name in the folder, which is made if needed.
    fn file(&mut self) -> io::Result<PathBuf> {
        if !self.made {
            fs::create_dir_all(&self.path).map_err(|e| at(&self.path, e))?;
            self.made = true;
        }
        self.next += 1;
        Ok(self.path.join(format!("{}.tmp", self.next)))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if self.made {
            // Nothing to do about a folder that cannot be removed: it is
            // named after the process, in the temporary folder.
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

/// An I/O error that names the file.
fn at(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(
        e.kind(),
        format!("search index temporary file {}: {e}", path.display()),
    )
}

/// Bytes being written: in memory until they pass `limit`, then in a file.
pub(super) struct Spill {
    mem: Vec<u8>,
    file: Option<(PathBuf, BufWriter<File>)>,
    limit: usize,
}

impl Spill {
    /// An empty spill that moves to a file once it holds more than `limit` bytes.
    pub(super) fn new(limit: usize) -> Self {
        Spill {
            mem: Vec::new(),
            file: None,
            limit,
        }
    }

    /// Appends `bytes`.
    pub(super) fn write(&mut self, tmp: &mut TempDir, bytes: &[u8]) -> io::Result<()> {
        if self.file.is_none() && self.mem.len() + bytes.len() > self.limit {
            let path = tmp.file()?;
            let mut w =
                BufWriter::with_capacity(1 << 16, File::create(&path).map_err(|e| at(&path, e))?);
            w.write_all(&self.mem).map_err(|e| at(&path, e))?;
            self.mem = Vec::new();
            self.file = Some((path, w));
        }
        match &mut self.file {
            Some((path, w)) => w.write_all(bytes).map_err(|e| at(path, e)),
            None => {
                self.mem.extend_from_slice(bytes);
                Ok(())
            }
        }
    }

    /// The bytes written, to be read back (any number of times).
    pub(super) fn finish(self) -> io::Result<Stored> {
        Ok(match self.file {
            None => Stored::Mem(self.mem),
            Some((path, w)) => {
                w.into_inner()
                    .map_err(|e| at(&path, e.into_error()))?
                    .sync_data()
                    .ok();
                Stored::File(path)
            }
        })
    }
}

/// Bytes written by a [`Spill`], in memory or in a file (removed when dropped).
pub(super) enum Stored {
    Mem(Vec<u8>),
    File(PathBuf),
}

impl Stored {
    /// A reader from the first byte.
    pub(super) fn read(&self) -> io::Result<SpillReader<'_>> {
        let inner: Box<dyn BufRead + '_> = match self {
            Stored::Mem(v) => Box::new(Cursor::new(v.as_slice())),
            Stored::File(p) => Box::new(BufReader::with_capacity(
                1 << 16,
                File::open(p).map_err(|e| at(p, e))?,
            )),
        };
        Ok(SpillReader { inner })
    }
}

impl Drop for Stored {
    fn drop(&mut self) {
        if let Stored::File(p) = self {
            // The folder goes with the builder anyway: this only frees disk early.
            let _ = fs::remove_file(p);
        }
    }
}

/// Reads varints and byte strings back from a [`Stored`].
pub(super) struct SpillReader<'a> {
    inner: Box<dyn BufRead + 'a>,
}

impl SpillReader<'_> {
    /// The next varint, or `None` at the end of the bytes.
    pub(super) fn next_varint(&mut self) -> io::Result<Option<u64>> {
        if self.inner.fill_buf()?.is_empty() {
            return Ok(None);
        }
        self.varint().map(Some)
    }

    /// A varint (LEB128, as `format::put_varint` writes them).
    pub(super) fn varint(&mut self) -> io::Result<u64> {
        let mut v = 0u64;
        let mut shift = 0;
        loop {
            let mut b = [0u8];
            self.inner.read_exact(&mut b)?;
            v |= u64::from(b[0] & 0x7F) << shift;
            if b[0] < 0x80 {
                return Ok(v);
            }
            shift += 7;
            if shift > 63 {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "search index temporary file: bad varint",
                ));
            }
        }
    }

    /// The next `n` bytes.
    pub(super) fn take(&mut self, n: usize) -> io::Result<Vec<u8>> {
        let mut v = vec![0u8; n];
        self.inner.read_exact(&mut v)?;
        Ok(v)
    }

    /// A length-prefixed byte string.
    pub(super) fn bytes(&mut self) -> io::Result<Vec<u8>> {
        let n = self.varint()? as usize;
        self.take(n)
    }

    /// A length-prefixed UTF-8 string.
    pub(super) fn string(&mut self) -> io::Result<String> {
        String::from_utf8(self.bytes()?).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }
}

/// Appends a length-prefixed byte string (read back by [`SpillReader::bytes`]).
pub(super) fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    super::format::put_varint(out, b.len() as u64);
    out.extend_from_slice(b);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spills_past_the_limit_and_reads_back_twice() {
        let mut tmp = TempDir::new(&std::env::temp_dir());
        let dir = tmp.path.clone();
        let mut s = Spill::new(8);
        let mut rec = Vec::new();
        for i in 0..100u64 {
            rec.clear();
            super::super::format::put_varint(&mut rec, i * 1000);
            put_bytes(&mut rec, format!("k{i}").as_bytes());
            s.write(&mut tmp, &rec).unwrap();
        }
        let stored = s.finish().unwrap();
        assert!(matches!(stored, Stored::File(_)));
        for _ in 0..2 {
            let mut r = stored.read().unwrap();
            for i in 0..100u64 {
                assert_eq!(r.next_varint().unwrap(), Some(i * 1000));
                assert_eq!(r.string().unwrap(), format!("k{i}"));
            }
            assert_eq!(r.next_varint().unwrap(), None);
        }
        drop(stored);
        drop(tmp);
        assert!(!dir.exists(), "the temporary folder is removed");
    }
}
