//! A TrueType subset that keeps every glyph id: the glyphs a document shows keep their
//! outlines, every other glyph becomes empty. Content streams, widths and the ToUnicode map
//! can then use the font's own glyph ids, so one subset serves every document that shows the
//! same glyphs, and no document needs its glyphs renumbered.
//!
//! Only what a PDF reader uses of a CIDFontType2 program is written (ISO 32000-1, 9.9):
//! outlines and metrics, plus the copyright and naming records of `name` so the embedded
//! font still says whose it is. Two things are left out because they were most of a
//! subset's bytes and no page needs them: the licence text (records 13 and 14 of `name`)
//! and the hinting (each glyph's instructions and the `fpgm`, `prep` and `cvt ` programs),
//! which only snaps outlines to a screen's pixel grid at small sizes; PDF viewers scale
//! outlines freely and printers have the resolution, so the page looks the same.

use std::collections::BTreeSet;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SubsetError {
    #[error("the font has no `{0}` table")]
    MissingTable(&'static str),
    #[error("the font's `{0}` table is truncated")]
    Truncated(&'static str),
    #[error("glyph {0} does not exist in the font")]
    NoSuchGlyph(u16),
}

/// Tables copied unchanged: the global metrics.
const COPIED: [&[u8; 4]; 3] = [b"OS/2", b"hhea", b"maxp"];
/// Name records kept: copyright, family, subfamily, unique id, full name, version, PostScript name.
const KEPT_NAMES: std::ops::RangeInclusive<u16> = 0..=6;
const COMPOSITE_MORE: u16 = 0x20;
const COMPOSITE_INSTRUCTIONS: u16 = 0x100;

/// The subset of `font` (a TrueType sfnt) with the outlines of `glyphs`, glyph 0 and the
/// components of any composite among them; every glyph id keeps its meaning.
pub fn subset(font: &[u8], glyphs: &BTreeSet<u16>) -> Result<Vec<u8>, SubsetError> {
    let sfnt = Sfnt::parse(font)?;
    let head = sfnt.table(b"head", "head")?;
    let long_offsets = read_u16(head, 50, "head")? == 1;
    let glyph_count = read_u16(sfnt.table(b"maxp", "maxp")?, 4, "maxp")?;
    let metric_count = read_u16(sfnt.table(b"hhea", "hhea")?, 34, "hhea")?;
    let outlines = Outlines::parse(&sfnt, glyph_count, long_offsets)?;
    let kept = outlines.closure(glyphs)?;

    let (glyf, loca) = outlines.write(&kept, long_offsets)?;
    let hmtx = metrics(sfnt.table(b"hmtx", "hmtx")?, &kept, glyph_count, metric_count)?;
    let mut head = head.to_vec();
    head.get_mut(8..12).ok_or(SubsetError::Truncated("head"))?.fill(0);

    let tables: Vec<([u8; 4], Vec<u8>)> =
        vec![(*b"glyf", glyf), (*b"head", head), (*b"hmtx", hmtx), (*b"loca", loca)];
    finish(&sfnt, tables)
}

/// `font` without outlines: every glyph empty, but the character map, the advances and the
/// names intact. It is what printpdf is given to encode text, measure widths and describe
/// the face, so each document copies a tenth of the font instead of all of it, before the
/// subset takes the program's place.
pub fn without_outlines(font: &[u8]) -> Result<Vec<u8>, SubsetError> {
    let sfnt = Sfnt::parse(font)?;
    let head = sfnt.table(b"head", "head")?;
    let glyph_count = usize::from(read_u16(sfnt.table(b"maxp", "maxp")?, 4, "maxp")?);
    let mut head = head.to_vec();
    head.get_mut(8..12).ok_or(SubsetError::Truncated("head"))?.fill(0);
    // Short offsets, all zero: every glyph starts and ends at the start of an empty `glyf`.
    head.get_mut(50..52).ok_or(SubsetError::Truncated("head"))?.copy_from_slice(&0u16.to_be_bytes());
    let tables: Vec<([u8; 4], Vec<u8>)> = vec![
        (*b"cmap", sfnt.table(b"cmap", "cmap")?.to_vec()),
        (*b"glyf", Vec::new()),
        (*b"head", head),
        (*b"hmtx", sfnt.table(b"hmtx", "hmtx")?.to_vec()),
        (*b"loca", vec![0; (glyph_count + 1) * 2]),
    ];
    finish(&sfnt, tables)
}

/// The font of `tables` plus what every program Kontor writes keeps: `post` without glyph
/// names, the kept `name` records and the [`COPIED`] tables.
fn finish(sfnt: &Sfnt<'_>, mut tables: Vec<([u8; 4], Vec<u8>)>) -> Result<Vec<u8>, SubsetError> {
    tables.push((*b"post", post(sfnt.table(b"post", "post")?)?));
    if let Ok(name) = sfnt.table(b"name", "name") {
        tables.push((*b"name", names(name)?));
    }
    for tag in COPIED {
        if let Ok(table) = sfnt.table(tag, "") {
            tables.push((*tag, table.to_vec()));
        }
    }
    tables.sort_by_key(|table| table.0);
    Ok(assemble(&tables))
}

fn read_u16(data: &[u8], at: usize, table: &'static str) -> Result<u16, SubsetError> {
    bytes::<2>(data, at, table).map(u16::from_be_bytes)
}

fn read_u32(data: &[u8], at: usize, table: &'static str) -> Result<u32, SubsetError> {
    bytes::<4>(data, at, table).map(u32::from_be_bytes)
}

fn bytes<const N: usize>(data: &[u8], at: usize, table: &'static str) -> Result<[u8; N], SubsetError> {
    data.get(at..at + N).and_then(|b| <[u8; N]>::try_from(b).ok()).ok_or(SubsetError::Truncated(table))
}

/// Overwrites `data[at..]` with `value`.
fn write_at(data: &mut [u8], at: usize, value: &[u8], table: &'static str) -> Result<(), SubsetError> {
    data.get_mut(at..at + value.len()).ok_or(SubsetError::Truncated(table))?.copy_from_slice(value);
    Ok(())
}

struct Sfnt<'a> {
    data: &'a [u8],
    /// Tag, offset, length.
    records: Vec<([u8; 4], usize, usize)>,
}

impl<'a> Sfnt<'a> {
    fn parse(data: &'a [u8]) -> Result<Sfnt<'a>, SubsetError> {
        let count = read_u16(data, 4, "directory")?;
        let records = (0..usize::from(count))
            .map(|i| {
                let at = 12 + 16 * i;
                let tag = bytes::<4>(data, at, "directory")?;
                let offset = read_u32(data, at + 8, "directory")? as usize;
                let length = read_u32(data, at + 12, "directory")? as usize;
                Ok((tag, offset, length))
            })
            .collect::<Result<_, SubsetError>>()?;
        Ok(Sfnt { data, records })
    }

    fn table(&self, tag: &[u8; 4], name: &'static str) -> Result<&'a [u8], SubsetError> {
        let (_, offset, length) =
            self.records.iter().find(|(t, ..)| t == tag).ok_or(SubsetError::MissingTable(name))?;
        self.data.get(*offset..offset + length).ok_or(SubsetError::Truncated(name))
    }
}

struct Outlines<'a> {
    glyf: &'a [u8],
    /// Start of every glyph in `glyf`, plus the end of the last.
    offsets: Vec<usize>,
}

impl<'a> Outlines<'a> {
    fn parse(sfnt: &Sfnt<'a>, glyph_count: u16, long_offsets: bool) -> Result<Outlines<'a>, SubsetError> {
        let loca = sfnt.table(b"loca", "loca")?;
        let offsets = (0..=usize::from(glyph_count))
            .map(|i| match long_offsets {
                true => read_u32(loca, 4 * i, "loca").map(|o| o as usize),
                false => read_u16(loca, 2 * i, "loca").map(|o| usize::from(o) * 2),
            })
            .collect::<Result<_, _>>()?;
        Ok(Outlines { glyf: sfnt.table(b"glyf", "glyf")?, offsets })
    }

    fn glyph(&self, id: u16) -> Result<&'a [u8], SubsetError> {
        let i = usize::from(id);
        let (start, end) = match (self.offsets.get(i), self.offsets.get(i + 1)) {
            (Some(start), Some(end)) => (*start, *end),
            _ => return Err(SubsetError::NoSuchGlyph(id)),
        };
        self.glyf.get(start..end).ok_or(SubsetError::Truncated("glyf"))
    }

    /// `glyphs`, glyph 0 (.notdef, which readers draw for a missing code) and every
    /// component a kept composite glyph refers to.
    fn closure(&self, glyphs: &BTreeSet<u16>) -> Result<BTreeSet<u16>, SubsetError> {
        let mut kept = BTreeSet::new();
        let mut pending: Vec<u16> = glyphs.iter().copied().chain([0]).collect();
        while let Some(id) = pending.pop() {
            if kept.insert(id) {
                pending.extend(components(self.glyph(id)?)?);
            }
        }
        Ok(kept)
    }

    /// The new `glyf` and `loca`: kept glyphs as they were, the others empty.
    fn write(&self, kept: &BTreeSet<u16>, long_offsets: bool) -> Result<(Vec<u8>, Vec<u8>), SubsetError> {
        let count = self.offsets.len() - 1;
        let mut glyf = Vec::new();
        let mut loca = Vec::with_capacity((count + 1) * if long_offsets { 4 } else { 2 });
        for id in 0..=count {
            push_offset(&mut loca, glyf.len(), long_offsets);
            if id < count && kept.contains(&(id as u16)) {
                glyf.extend_from_slice(&without_instructions(self.glyph(id as u16)?)?);
                // Short offsets count in 2-byte units; 4 keeps every reader's alignment happy.
                glyf.resize(glyf.len().next_multiple_of(4), 0);
            }
        }
        Ok((glyf, loca))
    }
}

fn push_offset(loca: &mut Vec<u8>, offset: usize, long_offsets: bool) {
    match long_offsets {
        true => loca.extend_from_slice(&(offset as u32).to_be_bytes()),
        false => loca.extend_from_slice(&((offset / 2) as u16).to_be_bytes()),
    }
}

/// The glyph ids a composite glyph is built from (none for a simple or empty glyph).
fn components(glyph: &[u8]) -> Result<Vec<u16>, SubsetError> {
    if glyph.len() < 10 || i16::from_be_bytes(bytes::<2>(glyph, 0, "glyf")?) >= 0 {
        return Ok(Vec::new());
    }
    let mut ids = Vec::new();
    let mut at = 10;
    loop {
        let flags = read_u16(glyph, at, "glyf")?;
        ids.push(read_u16(glyph, at + 2, "glyf")?);
        at += 4 + component_arguments(flags);
        if flags & COMPOSITE_MORE == 0 {
            return Ok(ids);
        }
    }
}

/// `glyph` without its hinting instructions: an empty program for a simple glyph, none
/// after the components of a composite.
fn without_instructions(glyph: &[u8]) -> Result<Vec<u8>, SubsetError> {
    if glyph.len() < 10 {
        return Ok(glyph.to_vec());
    }
    let contours = i16::from_be_bytes(bytes::<2>(glyph, 0, "glyf")?);
    if let Ok(contours) = usize::try_from(contours) {
        let at = 10 + 2 * contours;
        let length = usize::from(read_u16(glyph, at, "glyf")?);
        let rest = glyph.get(at + 2 + length..).ok_or(SubsetError::Truncated("glyf"))?;
        let points = glyph.get(..at).ok_or(SubsetError::Truncated("glyf"))?;
        return Ok([points, &[0, 0], rest].concat());
    }
    let mut out = glyph.to_vec();
    let mut at = 10;
    loop {
        let flags = read_u16(glyph, at, "glyf")?;
        write_at(&mut out, at, &(flags & !COMPOSITE_INSTRUCTIONS).to_be_bytes(), "glyf")?;
        at += 4 + component_arguments(flags);
        if flags & COMPOSITE_MORE == 0 {
            out.truncate(at);
            return Ok(out);
        }
    }
}

/// Bytes after a component's flags and glyph id: its offsets and its transform.
fn component_arguments(flags: u16) -> usize {
    let offsets = if flags & 0x01 != 0 { 4 } else { 2 };
    let transform = match flags {
        f if f & 0x08 != 0 => 2,
        f if f & 0x40 != 0 => 4,
        f if f & 0x80 != 0 => 8,
        _ => 0,
    };
    offsets + transform
}

/// `hmtx` with the metrics of dropped glyphs zeroed, which compresses them to almost nothing.
/// The last full metric stays: glyphs after it take its advance.
fn metrics(
    hmtx: &[u8],
    kept: &BTreeSet<u16>,
    glyph_count: u16,
    metric_count: u16,
) -> Result<Vec<u8>, SubsetError> {
    let (glyphs, metrics) = (usize::from(glyph_count), usize::from(metric_count));
    let size = metrics * 4 + glyphs.saturating_sub(metrics) * 2;
    let mut out = hmtx.get(..size).ok_or(SubsetError::Truncated("hmtx"))?.to_vec();
    for id in 0..glyphs {
        let keep = kept.contains(&(id as u16)) || id + 1 == metrics;
        if !keep {
            let range = if id < metrics {
                id * 4..id * 4 + 4
            } else {
                metrics * 4 + (id - metrics) * 2..metrics * 4 + (id - metrics) * 2 + 2
            };
            out.get_mut(range).ok_or(SubsetError::Truncated("hmtx"))?.fill(0);
        }
    }
    Ok(out)
}

/// `post` version 3: the metrics without glyph names, which a CID font does not use.
fn post(post: &[u8]) -> Result<Vec<u8>, SubsetError> {
    let mut out = post.get(..32).ok_or(SubsetError::Truncated("post"))?.to_vec();
    write_at(&mut out, 0, &0x0003_0000u32.to_be_bytes(), "post")?;
    Ok(out)
}

/// `name` with the records [`KEPT_NAMES`] only.
fn names(name: &[u8]) -> Result<Vec<u8>, SubsetError> {
    let count = usize::from(read_u16(name, 2, "name")?);
    let strings = usize::from(read_u16(name, 4, "name")?);
    let mut records = Vec::new();
    let mut storage = Vec::new();
    for i in 0..count {
        let at = 6 + 12 * i;
        let record = name.get(at..at + 12).ok_or(SubsetError::Truncated("name"))?;
        if !KEPT_NAMES.contains(&read_u16(record, 6, "name")?) {
            continue;
        }
        let length = usize::from(read_u16(record, 8, "name")?);
        let offset = strings + usize::from(read_u16(record, 10, "name")?);
        let text = name.get(offset..offset + length).ok_or(SubsetError::Truncated("name"))?;
        records.extend_from_slice(record.get(..8).ok_or(SubsetError::Truncated("name"))?);
        records.extend_from_slice(&(length as u16).to_be_bytes());
        records.extend_from_slice(&(storage.len() as u16).to_be_bytes());
        storage.extend_from_slice(text);
    }
    let kept = records.len() / 12;
    let mut out = Vec::with_capacity(6 + records.len() + storage.len());
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&(kept as u16).to_be_bytes());
    out.extend_from_slice(&((6 + records.len()) as u16).to_be_bytes());
    out.extend_from_slice(&records);
    out.extend_from_slice(&storage);
    Ok(out)
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let word = chunk.iter().chain(&[0u8; 3]).take(4).fold(0u32, |w, b| (w << 8) | u32::from(*b));
        sum.wrapping_add(word)
    })
}

/// The sfnt around `tables` (sorted by tag), with checksums and `head`'s adjustment.
fn assemble(tables: &[([u8; 4], Vec<u8>)]) -> Vec<u8> {
    let count = tables.len() as u16;
    let power = 1u16 << (15 - count.leading_zeros());
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for value in [count, power * 16, power.trailing_zeros() as u16, count * 16 - power * 16] {
        out.extend_from_slice(&value.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    for (tag, data) in tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().next_multiple_of(4);
    }
    let mut head_at = None;
    for (tag, data) in tables {
        if tag == b"head" {
            head_at = Some(out.len());
        }
        out.extend_from_slice(data);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    if let Some(at) = head_at {
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        if let Some(slot) = out.get_mut(at + 8..at + 12) {
            slot.copy_from_slice(&adjustment.to_be_bytes());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use printpdf::ParsedFont;

    const REGULAR: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

    fn outlines_of<'a>(sfnt: &Sfnt<'a>) -> Outlines<'a> {
        let long = read_u16(sfnt.table(b"head", "head").unwrap(), 50, "head").unwrap() == 1;
        let count = read_u16(sfnt.table(b"maxp", "maxp").unwrap(), 4, "maxp").unwrap();
        Outlines::parse(sfnt, count, long).expect("loca")
    }

    fn glyph_of(font: &ParsedFont, c: char) -> u16 {
        font.lookup_glyph_index(c as u32).expect("the font has the glyph")
    }

    #[test]
    fn kept_glyphs_keep_their_ids_and_outlines_and_the_rest_are_empty() {
        let full = ParsedFont::from_bytes(REGULAR, 0, &mut Vec::new()).expect("parses");
        let (a, z) = (glyph_of(&full, 'a'), glyph_of(&full, 'z'));
        let bytes = subset(REGULAR, &BTreeSet::from([a])).expect("subsets");
        assert!(bytes.len() * 10 < REGULAR.len(), "{} bytes", bytes.len());
        let sub = Sfnt::parse(&bytes).expect("parses");
        let original = Sfnt::parse(REGULAR).expect("parses");
        let (new, old) = (outlines_of(&sub), outlines_of(&original));
        assert_eq!(new.offsets.len(), old.offsets.len(), "every glyph id still exists");
        assert_eq!(new.glyph(a).unwrap(), without_instructions(old.glyph(a).unwrap()).unwrap());
        assert!(!old.glyph(z).unwrap().is_empty() && new.glyph(z).unwrap().is_empty());
        assert_eq!(checksum(&bytes), 0xB1B0_AFBA, "head's adjustment makes the font sum to the magic");
        let advance =
            |s: &Sfnt<'_>| read_u16(s.table(b"hmtx", "hmtx").unwrap(), 4 * usize::from(a), "hmtx").unwrap();
        assert_eq!(advance(&sub), advance(&original));
        assert!(advance(&original) > 0);
    }

    #[test]
    fn a_composite_glyph_brings_its_components() {
        let full = ParsedFont::from_bytes(REGULAR, 0, &mut Vec::new()).expect("parses");
        let sfnt = Sfnt::parse(REGULAR).expect("parses");
        let outlines = outlines_of(&sfnt);
        let composite = "äöüåøéçŁřžœ"
            .chars()
            .map(|c| glyph_of(&full, c))
            .find(|id| !components(outlines.glyph(*id).unwrap()).unwrap().is_empty())
            .expect("DejaVu builds accented letters from components");
        let parts = components(outlines.glyph(composite).unwrap()).unwrap();
        let kept = outlines.closure(&BTreeSet::from([composite])).unwrap();
        assert!(parts.iter().all(|p| kept.contains(p)), "{parts:?} in {kept:?}");
        assert!(kept.contains(&0));
    }

    #[test]
    fn the_licence_text_is_left_out_and_the_copyright_kept() {
        let sfnt = Sfnt::parse(REGULAR).expect("parses");
        let full = sfnt.table(b"name", "name").unwrap();
        let trimmed = names(full).unwrap();
        assert!(trimmed.len() * 4 < full.len(), "{} of {} bytes", trimmed.len(), full.len());
        let ids: BTreeSet<u16> = (0..read_u16(&trimmed, 2, "name").unwrap())
            .map(|i| read_u16(&trimmed, 6 + 12 * usize::from(i) + 6, "name").unwrap())
            .collect();
        assert!(ids.contains(&0) && ids.contains(&6) && !ids.contains(&13), "{ids:?}");
    }

    #[test]
    fn outlines_keep_their_points_and_lose_their_instructions() {
        let full = ParsedFont::from_bytes(REGULAR, 0, &mut Vec::new()).expect("parses");
        let sfnt = Sfnt::parse(REGULAR).expect("parses");
        let outlines = outlines_of(&sfnt);
        let simple = outlines.glyph(glyph_of(&full, 'a')).unwrap();
        let contours = usize::try_from(i16::from_be_bytes([simple[0], simple[1]])).expect("a simple glyph");
        let program = usize::from(read_u16(simple, 10 + 2 * contours, "glyf").unwrap());
        assert!(program > 0, "DejaVu hints its glyphs");
        let stripped = without_instructions(simple).unwrap();
        assert_eq!(stripped.len(), simple.len() - program);
        assert_eq!(read_u16(&stripped, 10 + 2 * contours, "glyf").unwrap(), 0);
        assert_eq!(stripped[12 + 2 * contours..], simple[12 + 2 * contours + program..], "points unchanged");

        let composite = outlines
            .glyph(glyph_of(&full, 'ä'))
            .ok()
            .filter(|g| !components(g).unwrap().is_empty())
            .expect("ä is composite in DejaVu");
        let stripped = without_instructions(composite).unwrap();
        assert_eq!(components(&stripped).unwrap(), components(composite).unwrap());
        assert!(stripped.len() <= composite.len());
        assert_eq!(read_u16(&stripped, 10, "glyf").unwrap() & COMPOSITE_INSTRUCTIONS, 0);
    }

    #[test]
    fn the_face_without_outlines_maps_and_measures_as_the_font_does() {
        let full = ParsedFont::from_bytes(REGULAR, 0, &mut Vec::new()).expect("parses");
        let bytes = without_outlines(REGULAR).expect("strips");
        assert!(bytes.len() * 8 < REGULAR.len(), "{} bytes", bytes.len());
        let mut warnings = Vec::new();
        let light = ParsedFont::from_bytes(&bytes, 0, &mut warnings);
        let light = light.unwrap_or_else(|| panic!("parses: {warnings:?}"));
        for c in "Aaz€äßØ1 Ж".chars() {
            let id = full.lookup_glyph_index(c as u32);
            assert_eq!(light.lookup_glyph_index(c as u32), id, "{c}");
            let id = id.expect("the font has it");
            assert_eq!(light.get_horizontal_advance(id), full.get_horizontal_advance(id), "{c}");
        }
        assert_eq!(light.font_name, full.font_name);
    }

    #[test]
    fn a_glyph_beyond_the_font_is_refused() {
        assert_eq!(subset(REGULAR, &BTreeSet::from([u16::MAX])), Err(SubsetError::NoSuchGlyph(u16::MAX)));
    }
}
