//! Puts a subset of each face into a PDF in place of the whole font printpdf embeds. A
//! subset keeps the font's glyph ids (see [`super::font_subset`]), so printpdf's content
//! streams, widths and ToUnicode maps stay as they are, and a subset depends only on the
//! glyphs it keeps: made and compressed once, it serves every later document that shows
//! the same glyphs. Every subset also keeps printable ASCII, so documents differ in their
//! subsets only by the letters beyond it (a language's own, a customer's name), and a batch
//! of invoices needs a few dozen subsets, not one per invoice.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, LazyLock, Mutex};

use flate2::Compression;
use flate2::write::ZlibEncoder;
use lopdf::{Dictionary, Object, ObjectId};
use sha2::{Digest, Sha256};

use super::DocumentError;
use super::font_subset::{subset, without_outlines};
use crate::fonts::{Fonts, Weight};

/// Subsets kept per process; beyond it the cache starts again, which only costs time.
const CACHE_CAPACITY: usize = 512;

/// A face's subset as it goes into the PDF.
struct Subset {
    compressed: Vec<u8>,
    length: usize,
    /// The six-letter tag ISO 32000-1 (9.6.4) puts before a subset font's name.
    tag: String,
}

type Key = (Weight, Vec<u16>);

/// The faces printpdf is given: without outlines (see [`without_outlines`]), so building a
/// document copies a tenth of each font; [`embed_subsets`] puts the outlines back.
static WITHOUT_OUTLINES: LazyLock<Option<[printpdf::ParsedFont; 2]>> = LazyLock::new(|| {
    let fonts = crate::fonts::fonts()?;
    let load = |weight: Weight| {
        let bytes = without_outlines(fonts.face(weight).program).ok()?;
        printpdf::ParsedFont::from_bytes(&bytes, 0, &mut Vec::new())
    };
    Some([load(Weight::Regular)?, load(Weight::Bold)?])
});

/// The face of `weight` for printpdf's document; its program is replaced by [`embed_subsets`].
pub fn face_to_embed(weight: Weight) -> Result<printpdf::PdfFont, DocumentError> {
    let faces = WITHOUT_OUTLINES.as_ref().ok_or(DocumentError::Font)?;
    let face = faces.get(weight as usize).ok_or(DocumentError::Font)?;
    Ok(printpdf::PdfFont::new(face.clone()))
}

static SUBSETS: LazyLock<Mutex<HashMap<Key, Arc<Subset>>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// Where one face sits in the tree printpdf built.
struct Placement {
    weight: Weight,
    font: ObjectId,
    descriptor: ObjectId,
    program: ObjectId,
    glyphs: BTreeSet<u16>,
}

/// Replaces every embedded face in `tree` with its subset for the glyphs the document uses.
pub fn embed_subsets(tree: &mut lopdf::Document, fonts: &Fonts) -> Result<(), DocumentError> {
    let placements: Vec<Placement> = tree
        .objects
        .iter()
        .filter_map(|(id, object)| object.as_dict().ok().map(|dict| (*id, dict)))
        .filter(|(_, dict)| dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|s| s == b"Type0"))
        .map(|(id, dict)| placement(tree, id, dict, fonts))
        .collect::<Result<_, _>>()?;
    for placement in placements {
        let subset = cached_subset(fonts, placement.weight, &placement.glyphs)?;
        apply(tree, &placement, &subset)?;
    }
    Ok(())
}

fn corrupt(what: &str) -> DocumentError {
    DocumentError::Corrupt(format!("embedded font: {what}"))
}

fn placement(
    tree: &lopdf::Document,
    font: ObjectId,
    dict: &Dictionary,
    fonts: &Fonts,
) -> Result<Placement, DocumentError> {
    let name = dict.get(b"BaseFont").and_then(Object::as_name).map_err(|_| corrupt("no BaseFont"))?;
    let weight = [Weight::Regular, Weight::Bold]
        .into_iter()
        .find(|w| fonts.face(*w).name.as_bytes() == name)
        .ok_or_else(|| corrupt("a face Kontor does not bundle"))?;
    let descendant = dict
        .get(b"DescendantFonts")
        .and_then(Object::as_array)
        .ok()
        .and_then(|fonts| fonts.first())
        .and_then(|font| font.as_dict().ok())
        .ok_or_else(|| corrupt("no descendant font"))?;
    let widths = descendant.get(b"W").and_then(Object::as_array).map_err(|_| corrupt("no widths"))?;
    let descriptor = descendant
        .get(b"FontDescriptor")
        .and_then(Object::as_reference)
        .map_err(|_| corrupt("no descriptor"))?;
    let program = tree
        .get_dictionary(descriptor)
        .and_then(|d| d.get(b"FontFile2"))
        .and_then(Object::as_reference)
        .map_err(|_| corrupt("no FontFile2"))?;
    Ok(Placement { weight, font, descriptor, program, glyphs: glyphs_of(widths)? })
}

/// The glyph ids a `/W` array gives widths for: `first [w w …]` and `first last w` runs.
fn glyphs_of(widths: &[Object]) -> Result<BTreeSet<u16>, DocumentError> {
    let mut glyphs = BTreeSet::new();
    let mut items = widths.iter();
    while let Some(first) = items.next() {
        let first = first.as_i64().map_err(|_| corrupt("a width run without a start"))?;
        let count = match items.next() {
            Some(Object::Array(list)) => list.len() as i64,
            Some(last) => {
                items.next();
                last.as_i64().map_err(|_| corrupt("a width range without an end"))? - first + 1
            }
            None => return Err(corrupt("a width run without widths")),
        };
        for id in first..first + count {
            glyphs.insert(u16::try_from(id).map_err(|_| corrupt("a glyph id out of range"))?);
        }
    }
    Ok(glyphs)
}

fn ascii_glyphs(fonts: &Fonts, weight: Weight) -> BTreeSet<u16> {
    (0x20u32..0x7f).filter_map(|c| fonts.face(weight).parsed.lookup_glyph_index(c)).collect()
}

fn cached_subset(
    fonts: &Fonts,
    weight: Weight,
    glyphs: &BTreeSet<u16>,
) -> Result<Arc<Subset>, DocumentError> {
    static ASCII: LazyLock<Option<[BTreeSet<u16>; 2]>> = LazyLock::new(|| {
        let fonts = crate::fonts::fonts()?;
        Some([ascii_glyphs(fonts, Weight::Regular), ascii_glyphs(fonts, Weight::Bold)])
    });
    let ascii = ASCII.as_ref().and_then(|sets| sets.get(weight as usize)).ok_or(DocumentError::Font)?;
    let key: Key = (weight, glyphs.difference(ascii).copied().collect());
    if let Some(found) = SUBSETS.lock().map_err(|_| corrupt("cache poisoned"))?.get(&key) {
        return Ok(Arc::clone(found));
    }
    let kept: BTreeSet<u16> = ascii.union(glyphs).copied().collect();
    let made = Arc::new(make_subset(fonts.face(weight).program, &kept)?);
    let mut cache = SUBSETS.lock().map_err(|_| corrupt("cache poisoned"))?;
    if cache.len() >= CACHE_CAPACITY {
        cache.clear();
    }
    cache.insert(key, Arc::clone(&made));
    Ok(made)
}

fn make_subset(program: &[u8], glyphs: &BTreeSet<u16>) -> Result<Subset, DocumentError> {
    let bytes = subset(program, glyphs).map_err(|e| corrupt(&e.to_string()))?;
    // Made once per glyph set, so the strongest compression is worth its time.
    let mut encoder = ZlibEncoder::new(Vec::with_capacity(bytes.len() / 2), Compression::best());
    std::io::Write::write_all(&mut encoder, &bytes).map_err(|e| corrupt(&e.to_string()))?;
    let compressed = encoder.finish().map_err(|e| corrupt(&e.to_string()))?;
    let digest = Sha256::digest(glyphs.iter().flat_map(|g| g.to_be_bytes()).collect::<Vec<u8>>());
    let tag = digest.iter().take(6).map(|b| char::from(b'A' + b % 26)).collect();
    Ok(Subset { compressed, length: bytes.len(), tag })
}

fn apply(tree: &mut lopdf::Document, placement: &Placement, subset: &Subset) -> Result<(), DocumentError> {
    let missing = |_| corrupt("a font object vanished");
    let face = tree
        .get_dictionary(placement.font)
        .and_then(|d| d.get(b"BaseFont"))
        .and_then(Object::as_name)
        .map_err(missing)?;
    let tagged = Object::Name(format!("{}+{}", subset.tag, String::from_utf8_lossy(face)).into_bytes());

    let font = tree.get_dictionary_mut(placement.font).map_err(missing)?;
    font.set("BaseFont", tagged.clone());
    if let Ok(Object::Array(descendants)) = font.get_mut(b"DescendantFonts")
        && let Some(Object::Dictionary(descendant)) = descendants.first_mut()
    {
        descendant.set("BaseFont", tagged.clone());
    }
    tree.get_dictionary_mut(placement.descriptor).map_err(missing)?.set("FontName", tagged);

    let Ok(Object::Stream(stream)) = tree.get_object_mut(placement.program) else {
        return Err(corrupt("FontFile2 is not a stream"));
    };
    stream.dict.set("Length1", Object::Integer(subset.length as i64));
    stream.dict.set("Filter", "FlateDecode");
    stream.set_content(subset.compressed.clone());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_faces_to_embed_are_named_as_the_bundled_fonts() {
        let fonts = crate::fonts::fonts().expect("fonts");
        for weight in [Weight::Regular, Weight::Bold] {
            let face = face_to_embed(weight).expect("parses");
            assert_eq!(face.parsed_font.font_name.as_deref(), Some(fonts.face(weight).name.as_str()));
        }
    }

    #[test]
    fn width_runs_and_ranges_name_their_glyphs() {
        let widths = vec![
            Object::Integer(3),
            Object::Array(vec![Object::Integer(600), Object::Integer(610)]),
            Object::Integer(10),
            Object::Integer(12),
            Object::Integer(500),
        ];
        assert_eq!(glyphs_of(&widths).unwrap(), BTreeSet::from([3, 4, 10, 11, 12]));
        assert!(glyphs_of(&[Object::Integer(3)]).is_err());
    }

    #[test]
    fn documents_with_the_same_letters_beyond_ascii_share_a_subset() {
        let fonts = crate::fonts::fonts().expect("fonts");
        let glyph = |c: char| fonts.regular.parsed.lookup_glyph_index(c as u32).expect("glyph");
        let one = cached_subset(fonts, Weight::Regular, &BTreeSet::from([glyph('A'), glyph('ä')])).unwrap();
        let other = cached_subset(fonts, Weight::Regular, &BTreeSet::from([glyph('z'), glyph('ä')])).unwrap();
        let third = cached_subset(fonts, Weight::Regular, &BTreeSet::from([glyph('z'), glyph('ø')])).unwrap();
        assert!(Arc::ptr_eq(&one, &other), "both keep ASCII and ä");
        assert!(!Arc::ptr_eq(&one, &third));
        assert_ne!(one.tag, third.tag);
        assert!(one.tag.len() == 6 && one.tag.chars().all(|c| c.is_ascii_uppercase()));
    }
}
