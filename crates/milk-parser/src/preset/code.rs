//! Code blocks: the text of numbered `.milk` lines joined into one program,
//! with a map from offsets in that text back to lines and columns in the file.

use std::borrow::Cow;

/// A position in a preset file: 1-based line and column (columns count chars).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Location {
    pub line: u32,
    pub col: u32,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// Where one line of a [`CodeBlock`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceLine {
    /// Byte offset in [`CodeBlock::text`] where this line starts.
    pub text_offset: usize,
    /// Position in the file of the first char of the line's value
    /// (after `key=` and, for shader lines, after the backtick).
    pub origin: Location,
}

/// Program text joined from the lines `prefix1`, `prefix2`, ... of a preset,
/// separated by `'\n'` (so `//` comments end at the end of their line).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CodeBlock {
    pub text: String,
    pub lines: Vec<SourceLine>,
}

impl CodeBlock {
    /// A block from plain text (no file behind it): line N of the text is
    /// reported as line N, column 1 as column 1.
    pub fn from_text(text: &str) -> Self {
        let mut block = CodeBlock::default();
        for (i, line) in text.split('\n').enumerate() {
            block.push_line(
                line,
                Location {
                    line: i as u32 + 1,
                    col: 1,
                },
            );
        }
        block
    }

    /// Appends one line (without its line terminator).
    pub fn push_line(&mut self, line: &str, origin: Location) {
        if !self.lines.is_empty() {
            self.text.push('\n');
        }
        self.lines.push(SourceLine {
            text_offset: self.text.len(),
            origin,
        });
        self.text.push_str(line);
    }

    /// True when the block holds no code at all (only whitespace).
    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// The individual lines of the block, in order.
    pub fn line_texts(&self) -> impl Iterator<Item = &str> {
        self.text.split('\n')
    }

    /// The text as MilkDrop 2's equation compiler reads it, and the offsets
    /// (in [`CodeBlock::text`]) of the line breaks it leaves out.
    ///
    /// MilkDrop joins a block's lines with nothing between them
    /// (`StripLinefeedCharsAndComments` deletes the separators), so a line
    /// that ends inside a name or number continues it on the next line:
    /// `k1 = is_` + `beat*2` is `k1 = is_beat*2`, `x = mid/11` + `99` is
    /// `x = mid/1199`, and `a = 1` + `b = 2` is `a = 1b = 2`, a syntax error
    /// (the block does not run, as in MilkDrop). Kefir keeps `'\n'` between
    /// lines elsewhere (a statement that ends a line without `;` before a
    /// space, an operator or a bracket stays apart from the next, and a `//`
    /// comment ends with its line), so here only breaks between two
    /// characters of names or numbers (letters, digits, `_`, `.`) are
    /// removed, and none after a line with a comment.
    pub fn equation_text(&self) -> (Cow<'_, str>, Vec<usize>) {
        let token = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'.';
        let bytes = self.text.as_bytes();
        let mut removed = Vec::new();
        let mut line_start = 0;
        for (i, &c) in bytes.iter().enumerate() {
            if c != b'\n' {
                continue;
            }
            let line = &self.text[line_start..i];
            let commented = line.contains("//") || line.contains("\\\\");
            if !commented
                && i > 0
                && token(bytes[i - 1])
                && bytes.get(i + 1).copied().is_some_and(token)
            {
                removed.push(i);
            }
            line_start = i + 1;
        }
        if removed.is_empty() {
            return (Cow::Borrowed(&self.text), removed);
        }
        let mut text = String::with_capacity(self.text.len());
        let mut from = 0;
        for &at in &removed {
            text.push_str(&self.text[from..at]);
            from = at + 1;
        }
        text.push_str(&self.text[from..]);
        (Cow::Owned(text), removed)
    }

    /// Maps a byte offset in [`CodeBlock::equation_text`]'s text (which left
    /// out the breaks at `removed`) to a position in the file.
    pub fn equation_location(&self, removed: &[usize], offset: usize) -> Location {
        let mut original = offset;
        for &at in removed {
            if at <= original {
                original += 1;
            } else {
                break;
            }
        }
        self.location(original)
    }

    /// Maps a byte offset in [`CodeBlock::text`] to a position in the file.
    pub fn location(&self, offset: usize) -> Location {
        let offset = offset.min(self.text.len());
        let idx = match self.lines.binary_search_by(|l| l.text_offset.cmp(&offset)) {
            Ok(i) => i,
            Err(0) => return Location { line: 1, col: 1 },
            Err(i) => i - 1,
        };
        let line = self.lines[idx];
        let start = line.text_offset;
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let chars = self.text[start..end].chars().count() as u32;
        Location {
            line: line.origin.line,
            col: line.origin.col + chars,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_offsets_to_file_positions() {
        let mut b = CodeBlock::default();
        b.push_line("x = 1;", Location { line: 10, col: 13 });
        b.push_line("y = é+2;", Location { line: 11, col: 13 });
        assert_eq!(b.text, "x = 1;\ny = é+2;");
        assert_eq!(b.location(0), Location { line: 10, col: 13 });
        assert_eq!(b.location(4), Location { line: 10, col: 17 });
        // 'y' starts line 2 at byte 7; '+' is after the two-byte 'é'.
        assert_eq!(b.location(7), Location { line: 11, col: 13 });
        let plus = b.text.find('+').unwrap();
        assert_eq!(b.location(plus), Location { line: 11, col: 18 });
    }

    #[test]
    fn lines_ending_inside_a_name_or_number_continue_it_as_in_milkdrop() {
        let mut b = CodeBlock::default();
        for (n, line) in [
            "k1 =  is_",
            "beat*2;",
            "x = mid/11",
            "99;",
            "y = 1;",
            "z = 2",
        ]
        .iter()
        .enumerate()
        {
            b.push_line(
                line,
                Location {
                    line: n as u32 + 1,
                    col: 11,
                },
            );
        }
        let (text, removed) = b.equation_text();
        assert_eq!(text, "k1 =  is_beat*2;\nx = mid/1199;\ny = 1;\nz = 2");
        assert_eq!(removed.len(), 2);
        // Offsets in the joined text map back to the lines they came from.
        let at = |s: &str| text.find(s).unwrap();
        for (token, line, col) in [
            ("is_", 1, 17),
            ("beat", 2, 11),
            ("*2", 2, 15),
            ("99", 4, 11),
            ("z", 6, 11),
        ] {
            let location = b.equation_location(&removed, at(token));
            assert_eq!(location, Location { line, col }, "{token}");
        }
        // Two statements glued into one name, as MilkDrop reads them.
        let glued = CodeBlock::from_text("a = 1\nb = 2");
        assert_eq!(glued.equation_text().0, "a = 1b = 2");
        // Nothing to join: the text as it is.
        let plain = CodeBlock::from_text("a = 1;\nb = a // x\nc");
        assert!(matches!(plain.equation_text(), (Cow::Borrowed(_), r) if r.is_empty()));
    }

    #[test]
    fn from_text_numbers_lines_from_one() {
        let b = CodeBlock::from_text("a\nbb\nc");
        assert_eq!(b.location(3), Location { line: 2, col: 2 });
        assert_eq!(b.lines.len(), 3);
    }
}
