//! Code blocks: the text of numbered `.milk` lines joined into one program,
//! with a map from offsets in that text back to lines and columns in the file.

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
    fn from_text_numbers_lines_from_one() {
        let b = CodeBlock::from_text("a\nbb\nc");
        assert_eq!(b.location(3), Location { line: 2, col: 2 });
        assert_eq!(b.lines.len(), 3);
    }
}
