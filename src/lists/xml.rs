//! A streaming reader for list XML: it walks the file once and hands over each record element
//! (`INDIVIDUAL`, `ENTITY`) as a small tree, so memory is bounded by the largest record, not the
//! list, and every error carries the line it was found on.

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use super::common::{line_at, squash};
use super::error::{Damage, ListError};

/// How deep elements may nest. Lists nest a handful of levels; the bound keeps a hostile file from
/// building a tree deep enough to exhaust the stack when it is dropped.
const MAX_DEPTH: usize = 64;

/// What the file must look like.
pub(crate) struct Shape {
    /// The root element's name.
    pub root: &'static str,
    /// Names of the elements handed over as records, wherever they are below the root.
    pub records: &'static [&'static str],
    /// The format, for errors (`the UN consolidated list XML`).
    pub format: &'static str,
}

/// One element of a record, with its text and children.
#[derive(Debug, Default)]
pub(crate) struct Node {
    /// The element name.
    pub name: String,
    /// Its text, references resolved, as written.
    pub text: String,
    /// Its child elements in order.
    pub children: Vec<Node>,
    /// The line it starts on.
    pub line: u64,
    /// Its attributes, values unescaped, in document order (lists such as the EU's carry their
    /// data in attributes).
    pub attributes: Vec<(String, String)>,
}

impl Node {
    /// The value of attribute `name`, if present and not empty.
    pub(crate) fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim())
            .filter(|value| !value.is_empty())
    }

    /// The children called `name`.
    pub(crate) fn all<'n>(&'n self, name: &'n str) -> impl Iterator<Item = &'n Node> + 'n {
        self.children.iter().filter(move |c| c.name == name)
    }

    /// The squashed text of the first child called `name` that is not empty.
    pub(crate) fn text(&self, name: &str) -> Option<String> {
        self.all(name)
            .map(|c| squash(&c.text))
            .find(|t| !t.is_empty())
    }

    /// The non-empty `VALUE` texts of every child called `name`.
    pub(crate) fn values(&self, name: &str) -> Vec<String> {
        self.all(name)
            .flat_map(|c| c.all("VALUE"))
            .map(|v| squash(&v.text))
            .filter(|t| !t.is_empty())
            .collect()
    }
}

/// Streams `text`, handing each record to `each`; returns the root's attributes.
pub(crate) fn read_records(
    name: &str,
    text: &str,
    shape: &Shape,
    each: impl FnMut(Node),
) -> Result<Vec<(String, String)>, ListError> {
    let mut walk = Walk {
        name,
        text,
        shape,
        lines: Lines {
            text,
            offset: 0,
            line: 1,
        },
        outer: Vec::new(),
        open: Vec::new(),
        root: None,
        each,
    };
    let mut reader = Reader::from_str(text);
    loop {
        let position = reader.buffer_position() as usize;
        let event = reader
            .read_event()
            .map_err(|e| xml_error(name, text, &reader, &e))?;
        match event {
            Event::Start(start) => walk.start(&start, position, true)?,
            Event::Empty(start) => walk.start(&start, position, false)?,
            Event::Text(t) => walk.append(&t.decode().unwrap_or_default()),
            Event::CData(t) => walk.append(&t.decode().unwrap_or_default()),
            Event::GeneralRef(r) => walk.reference(&r, position)?,
            Event::End(_) => walk.end(),
            Event::Eof => return walk.finish(),
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
}

/// The state of one pass over the file.
struct Walk<'a, F> {
    name: &'a str,
    text: &'a str,
    shape: &'a Shape,
    lines: Lines<'a>,
    /// Open elements above the record being built, with their lines.
    outer: Vec<(String, u64)>,
    /// The record's open elements, innermost last.
    open: Vec<Node>,
    /// The root's attributes, once seen.
    root: Option<Vec<(String, String)>>,
    each: F,
}

impl<F: FnMut(Node)> Walk<'_, F> {
    /// An element opens (`has_end`) or is written empty.
    fn start(&mut self, start: &BytesStart<'_>, at: usize, has_end: bool) -> Result<(), ListError> {
        let tag = String::from_utf8_lossy(start.name().as_ref()).into_owned();
        let line = self.lines.at(at);
        if self.outer.len() + self.open.len() >= MAX_DEPTH {
            let message = format!(
                "<{tag}> is nested {MAX_DEPTH} elements deep; {} nests a handful at most, so the \
                 file is not one or it is damaged",
                self.shape.format
            );
            return Err(ListError::malformed(self.name, line, Damage::Xml, message));
        }
        if self.root.is_none() {
            return self.open_root(start, tag, line, has_end);
        }
        let node = Node {
            name: tag,
            line,
            attributes: attributes_of(start),
            ..Node::default()
        };
        match (self.open.last_mut(), has_end) {
            (Some(_), true) => self.open.push(node),
            (Some(parent), false) => parent.children.push(node),
            (None, _) if self.shape.records.contains(&node.name.as_str()) => {
                if has_end {
                    self.open.push(node);
                } else {
                    (self.each)(node);
                }
            }
            (None, true) => self.outer.push((node.name, line)),
            (None, false) => {}
        }
        Ok(())
    }

    /// The first element: it must be the expected root.
    fn open_root(
        &mut self,
        start: &BytesStart<'_>,
        tag: String,
        line: u64,
        has_end: bool,
    ) -> Result<(), ListError> {
        if tag != self.shape.root {
            let message = format!(
                "the root element is <{tag}>, not <{}>: this is not {}",
                self.shape.root, self.shape.format
            );
            return Err(ListError::malformed(self.name, line, Damage::Xml, message));
        }
        self.root = Some(attributes_of(start));
        if has_end {
            self.outer.push((tag, line));
        }
        Ok(())
    }

    /// Text inside the innermost open element of a record (text elsewhere is layout).
    fn append(&mut self, text: &str) {
        if let Some(node) = self.open.last_mut() {
            node.text.push_str(text);
        }
    }

    /// A character or entity reference (`&amp;`, `&#233;`).
    fn reference(&mut self, reference: &BytesRef<'_>, at: usize) -> Result<(), ListError> {
        let resolved = match reference.resolve_char_ref() {
            Ok(Some(c)) => Some(c.to_string()),
            _ => reference
                .decode()
                .ok()
                .and_then(|n| quick_xml::escape::resolve_xml_entity(&n))
                .map(str::to_owned),
        };
        match resolved {
            Some(text) => {
                self.append(&text);
                Ok(())
            }
            None => {
                let entity = String::from_utf8_lossy(reference).into_owned();
                let message =
                    format!("unknown entity `&{entity};`; write a literal `&` as `&amp;`");
                Err(ListError::malformed(
                    self.name,
                    self.lines.at(at),
                    Damage::Xml,
                    message,
                ))
            }
        }
    }

    /// An element closes (quick-xml has checked that its name matches).
    fn end(&mut self) {
        match self.open.pop() {
            Some(node) => match self.open.last_mut() {
                Some(parent) => parent.children.push(node),
                None => (self.each)(node),
            },
            None => {
                self.outer.pop();
            }
        }
    }

    /// The end of the input: every element must be closed.
    fn finish(self) -> Result<Vec<(String, String)>, ListError> {
        let end = line_at(self.text, self.text.len());
        let innermost = self
            .open
            .last()
            .map(|n| (n.name.clone(), n.line))
            .or_else(|| self.outer.last().cloned());
        if let Some((tag, line)) = innermost {
            let message = format!(
                "the file ends inside <{tag}> (opened on line {line}): it looks truncated, \
                 download it again"
            );
            return Err(ListError::malformed(
                self.name,
                end,
                Damage::Truncated,
                message,
            ));
        }
        self.root.ok_or_else(|| {
            let message = format!(
                "the file has no <{}> element (is it empty?); download {} again",
                self.shape.root, self.shape.format
            );
            ListError::malformed(self.name, end, Damage::Truncated, message)
        })
    }
}

/// An element's attributes, values unescaped; attributes that cannot be read are left out.
fn attributes_of(start: &BytesStart<'_>) -> Vec<(String, String)> {
    start
        .attributes()
        .filter_map(Result::ok)
        .filter_map(|a| {
            let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
            Some((key, a.unescape_value().ok()?.into_owned()))
        })
        .collect()
}

/// Tracks line numbers as the reader moves forward, counting each byte once.
struct Lines<'t> {
    text: &'t str,
    offset: usize,
    line: u64,
}

impl Lines<'_> {
    /// The line of byte `offset`; counting is incremental while offsets grow.
    fn at(&mut self, offset: usize) -> u64 {
        if offset < self.offset {
            return line_at(self.text, offset);
        }
        let end = offset.min(self.text.len());
        let newlines = self
            .text
            .as_bytes()
            .get(self.offset..end)
            .unwrap_or_default()
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.line += newlines as u64;
        self.offset = end;
        self.line
    }
}

/// A quick-xml error as a located list error. quick-xml's syntax errors all mean the input ended
/// inside markup, i.e. a cut file; the rest are damage.
fn xml_error(
    name: &str,
    text: &str,
    reader: &Reader<&[u8]>,
    error: &quick_xml::Error,
) -> ListError {
    let line = line_at(text, reader.error_position() as usize);
    if let quick_xml::Error::Syntax(_) = error {
        let message = format!("{error}; the file looks truncated, download it again");
        return ListError::malformed(name, line, Damage::Truncated, message);
    }
    let message = format!(
        "the XML is not well formed: {error}; the file was damaged or edited, download it again"
    );
    ListError::malformed(name, line, Damage::Xml, message)
}
