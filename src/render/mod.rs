//! Render: a [`Document`] → file bytes. [`frame`] lays out the Decree 30 frame and
//! [`layout`] measures and breaks text and tables, once for both writers; [`docx`] writes
//! WordprocessingML (every part ourselves) and
//! [`pdf`] typesets on printpdf, each only translating what those two laid out.

pub mod docx;
pub mod frame;
pub mod layout;
pub mod pdf;
pub mod xlsx;
