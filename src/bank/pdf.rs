//! The PDF files of the simulated providers' documents: plain A4 pages of text in the base
//! Helvetica fonts (no embedded font), written with `pdf-writer`. Nothing in a file depends on
//! the time it is rendered or on chance: the creation date is the document's own date and no
//! file id is written, so the same document always gives the same bytes.

use chrono::{Datelike, NaiveDate};
use pdf_writer::{Content, Date, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

/// One line of text on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub text: String,
    /// Font size in points.
    pub size: f32,
    pub bold: bool,
    /// A right-aligned amount at the end of the line.
    pub amount: Option<String>,
}

impl Line {
    pub fn title(text: impl Into<String>) -> Line {
        Line {
            text: text.into(),
            size: 16.0,
            bold: true,
            amount: None,
        }
    }

    pub fn bold(text: impl Into<String>) -> Line {
        Line {
            text: text.into(),
            size: 10.0,
            bold: true,
            amount: None,
        }
    }

    pub fn text(text: impl Into<String>) -> Line {
        Line {
            text: text.into(),
            size: 10.0,
            bold: false,
            amount: None,
        }
    }

    pub fn row(text: impl Into<String>, amount: impl Into<String>) -> Line {
        Line {
            text: text.into(),
            size: 9.0,
            bold: false,
            amount: Some(amount.into()),
        }
    }

    pub fn blank() -> Line {
        Line::text("")
    }
}

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;

/// Text in the fonts' WinAnsiEncoding (Windows-1252); what it cannot write becomes `?`.
pub fn win_ansi(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{ff}' => c as u8,
            '€' => 0x80,
            '’' => 0x92,
            '–' => 0x96,
            '—' => 0x97,
            '\u{202f}' => 0xa0,
            _ => b'?',
        })
        .collect()
}

/// A PDF of `lines`, as many pages as they need, titled `title` and dated `date`.
pub fn render(title: &str, author: &str, date: NaiveDate, lines: &[Line]) -> Vec<u8> {
    let catalog = Ref::new(1);
    let tree = Ref::new(2);
    let regular = Ref::new(3);
    let bold = Ref::new(4);
    let info = Ref::new(5);
    let mut pages: Vec<Vec<&Line>> = vec![vec![]];
    let mut y = HEIGHT - MARGIN;
    for l in lines {
        let step = l.size * 1.45;
        if y - step < MARGIN {
            pages.push(vec![]);
            y = HEIGHT - MARGIN;
        }
        y -= step;
        pages.last_mut().expect("a page").push(l);
    }
    let count = pages.len();
    let page_ids: Vec<Ref> = (0..count).map(|i| Ref::new(6 + 2 * i as i32)).collect();

    let mut pdf = Pdf::new();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree)
        .kids(page_ids.iter().copied())
        .count(count as i32);
    pdf.type1_font(regular)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    let stamp = Date::new(date.year() as u16)
        .month(date.month() as u8)
        .day(date.day() as u8)
        .hour(0)
        .minute(0)
        .second(0);
    let mut doc_info = pdf.document_info(info);
    doc_info
        .title(TextStr(title))
        .author(TextStr(author))
        .producer(TextStr("powens-sandbox"))
        .creation_date(stamp)
        .modified_date(stamp);
    doc_info.finish();

    for (i, page_lines) in pages.iter().enumerate() {
        let id = page_ids[i];
        let content_id = Ref::new(id.get() + 1);
        let mut page = pdf.page(id);
        page.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT))
            .parent(tree)
            .contents(content_id);
        page.resources()
            .fonts()
            .pair(Name(b"F1"), regular)
            .pair(Name(b"F2"), bold);
        page.finish();

        let mut c = Content::new();
        let mut y = HEIGHT - MARGIN;
        for l in page_lines {
            y -= l.size * 1.45;
            let font = if l.bold { Name(b"F2") } else { Name(b"F1") };
            if !l.text.is_empty() {
                c.begin_text();
                c.set_font(font, l.size);
                c.next_line(MARGIN, y);
                c.show(Str(&win_ansi(&l.text)));
                c.end_text();
            }
            if let Some(a) = &l.amount {
                // Helvetica digits are 0.556 em wide; close enough to right-align amounts.
                let w = a.chars().count() as f32 * l.size * 0.53;
                c.begin_text();
                c.set_font(font, l.size);
                c.next_line(WIDTH - MARGIN - w, y);
                c.show(Str(&win_ansi(a)));
                c.end_text();
            }
        }
        c.begin_text();
        c.set_font(Name(b"F1"), 8.0);
        c.next_line(MARGIN, MARGIN / 2.0);
        c.show(Str(&win_ansi(&format!(
            "{author} - page {} / {count}",
            i + 1
        ))));
        c.end_text();
        pdf.stream(content_id, &c.finish());
    }
    pdf.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_document_gives_the_same_bytes() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let lines = vec![Line::title("Facture"), Line::row("Total", "12,00 €")];
        let a = render("Facture", "Onde", d, &lines);
        assert!(a.starts_with(b"%PDF-"));
        assert_eq!(a, render("Facture", "Onde", d, &lines));
    }

    #[test]
    fn text_is_written_in_win_ansi() {
        assert_eq!(win_ansi("é€"), vec![0xe9, 0x80]);
        assert_eq!(win_ansi("ą"), b"?".to_vec());
    }
}
