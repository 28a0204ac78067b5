//! Units of measure used by the layout rules and both renderers, converted in one place.
//!
//! Word measures in twips (1/20 pt) and half-points; PDF measures in points; the Decree
//! states margins in millimetres. Keeping each as its own type stops a millimetre from
//! being passed where a point is expected.

/// Millimetres (the unit Decree 30 uses for paper and margins).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Mm(pub f32);

/// Typographic points, 1/72 inch (the unit of font sizes and of PDF coordinates).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Pt(pub f32);

/// Twentieths of a point ("dxa"), the unit of WordprocessingML lengths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Twips(pub i32);

impl Mm {
    pub fn to_pt(self) -> Pt {
        Pt(self.0 * 72.0 / 25.4)
    }
    pub fn to_twips(self) -> Twips {
        Twips((self.0 * 1440.0 / 25.4).round() as i32)
    }
}

impl Pt {
    pub fn to_twips(self) -> Twips {
        Twips((self.0 * 20.0).round() as i32)
    }
    /// Font sizes in WordprocessingML are half-points (`w:sz`).
    pub fn half_points(self) -> usize {
        (self.0 * 2.0).round() as usize
    }
}

impl Twips {
    pub fn to_pt(self) -> Pt {
        Pt(self.0 as f32 / 20.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn margins_convert_as_word_expects() {
        assert_eq!(Mm(20.0).to_twips(), Twips(1134));
        assert_eq!(Mm(30.0).to_twips(), Twips(1701));
        assert_eq!(Mm(15.0).to_twips(), Twips(850));
        assert_eq!(Mm(210.0).to_twips(), Twips(11906));
        assert_eq!(Mm(297.0).to_twips(), Twips(16838));
        assert_eq!(Pt(14.0).half_points(), 28);
        assert_eq!(Twips(9355).to_pt(), Pt(467.75));
    }
}
