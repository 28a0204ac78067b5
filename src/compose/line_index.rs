//! Where a template's rendered source went wrong: the line of a byte offset, for the
//! messages of both readers (Markdown and XHTML tables).

/// Line numbers (from 1) of byte offsets into a text: its line starts are found once, so
/// asking for every event's line stays linear in the text (counting the newlines before
/// each offset made a long table quadratic).
pub(super) struct LineIndex {
    /// Offsets just past each '\n'.
    starts: Vec<usize>,
}

impl LineIndex {
    pub(super) fn new(text: &str) -> LineIndex {
        LineIndex {
            starts: memchr::memchr_iter(b'\n', text.as_bytes())
                .map(|i| i + 1)
                .collect(),
        }
    }

    /// The line holding byte `offset`.
    pub(super) fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn line_index_counts_the_newlines_before_an_offset(
            text in "[a\n\u{1ec7}]{0,64}",
            offset in 0usize..80,
        ) {
            let offset = offset.min(text.len());
            let counted = text.as_bytes()[..offset].iter().filter(|b| **b == b'\n').count() + 1;
            proptest::prop_assert_eq!(LineIndex::new(&text).line(offset), counted);
        }
    }
}
