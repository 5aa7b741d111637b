//! Turns a rendered invoice into a Factur-X PDF/A-3b: the CII XML becomes the associated file
//! `factur-x.xml`, the catalog gets the XMP metadata (PDF/A identification and the Factur-X
//! extension schema) and an sRGB OutputIntent. It runs on the object tree as the very last
//! step before it is written, so the XML is attached exactly as it was stored.

use chrono::NaiveDate;
use lopdf::{Dictionary, Object, Stream, StringFormat};

use super::FacturxError;

pub const ATTACHMENT_NAME: &str = "factur-x.xml";

const SRGB: &[u8] = include_bytes!("../../../assets/icc/sRGB2014.icc");

/// What the PDF/A metadata says about the document; the document information dictionary
/// and the XMP must agree on each of them.
#[derive(Debug, Clone)]
pub struct Attachment<'a> {
    pub xml: &'a [u8],
    pub title: &'a str,
    pub author: &'a str,
    pub date: NaiveDate,
}

fn text(value: &str) -> Object {
    // PDF text strings in UTF-16BE with a byte order mark carry every name a seller may have.
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(value.encode_utf16().flat_map(u16::to_be_bytes));
    Object::String(bytes, StringFormat::Hexadecimal)
}

fn literal(value: &str) -> Object {
    Object::String(value.as_bytes().to_vec(), StringFormat::Literal)
}

/// Makes `tree` a Factur-X PDF/A-3b carrying `attachment.xml`.
pub fn make_facturx(tree: &mut lopdf::Document, attachment: &Attachment<'_>) -> Result<(), FacturxError> {
    let pdf_date = format!("D:{}000000+00'00'", attachment.date.format("%Y%m%d"));
    let xmp_date = format!("{}T00:00:00+00:00", attachment.date.format("%Y-%m-%d"));

    let size = i64::try_from(attachment.xml.len())
        .map_err(|_| FacturxError::Unrepresentable("the XML is too large".to_owned()))?;
    let mut file_dict = Dictionary::new();
    file_dict.set("Type", Object::Name(b"EmbeddedFile".to_vec()));
    file_dict.set("Subtype", Object::Name(b"text/xml".to_vec()));
    let mut params = Dictionary::new();
    params.set("Size", Object::Integer(size));
    params.set("ModDate", literal(&pdf_date));
    file_dict.set("Params", Object::Dictionary(params));
    let file_id = tree.add_object(Stream::new(file_dict, attachment.xml.to_vec()));

    let mut ef = Dictionary::new();
    ef.set("F", Object::Reference(file_id));
    ef.set("UF", Object::Reference(file_id));
    let mut spec = Dictionary::new();
    spec.set("Type", Object::Name(b"Filespec".to_vec()));
    spec.set("F", literal(ATTACHMENT_NAME));
    spec.set("UF", text(ATTACHMENT_NAME));
    spec.set("Desc", literal("Factur-X invoice (EN 16931)"));
    // The XML is the invoice in another form, not data derived from it: German practice (ZUGFeRD)
    // marks it Alternative, which Factur-X allows beside Data.
    spec.set("AFRelationship", Object::Name(b"Alternative".to_vec()));
    spec.set("EF", Object::Dictionary(ef));
    let spec_id = tree.add_object(spec);

    let mut icc_dict = Dictionary::new();
    icc_dict.set("N", Object::Integer(3));
    let icc_id = tree.add_object(Stream::new(icc_dict, SRGB.to_vec()));
    let mut intent = Dictionary::new();
    intent.set("Type", Object::Name(b"OutputIntent".to_vec()));
    intent.set("S", Object::Name(b"GTS_PDFA1".to_vec()));
    intent.set("OutputConditionIdentifier", literal("sRGB IEC61966-2.1"));
    intent.set("RegistryName", literal("http://www.color.org"));
    intent.set("Info", literal("sRGB IEC61966-2.1"));
    intent.set("DestOutputProfile", Object::Reference(icc_id));

    let mut xmp_dict = Dictionary::new();
    xmp_dict.set("Type", Object::Name(b"Metadata".to_vec()));
    xmp_dict.set("Subtype", Object::Name(b"XML".to_vec()));
    // PDF/A: the metadata stream must stay readable without decoding, so it is never compressed.
    let xmp = xmp(attachment.title, attachment.author, &xmp_date);
    let xmp_id = tree.add_object(Stream::new(xmp_dict, xmp.into_bytes()).with_compression(false));

    let mut info = Dictionary::new();
    info.set("Title", text(attachment.title));
    info.set("Author", text(attachment.author));
    info.set("Creator", text("Kontor"));
    info.set("Producer", text("Kontor"));
    info.set("CreationDate", literal(&pdf_date));
    info.set("ModDate", literal(&pdf_date));
    let info_id = tree.add_object(info);
    tree.trailer.set("Info", Object::Reference(info_id));

    let catalog =
        tree.catalog_mut().map_err(|e| FacturxError::Unrepresentable(format!("no catalog: {e}")))?;
    catalog.set("Metadata", Object::Reference(xmp_id));
    catalog.set("OutputIntents", Object::Array(vec![Object::Dictionary(intent)]));
    catalog.set("AF", Object::Array(vec![Object::Reference(spec_id)]));
    let mut embedded = Dictionary::new();
    embedded.set("Names", Object::Array(vec![literal(ATTACHMENT_NAME), Object::Reference(spec_id)]));
    let mut names = Dictionary::new();
    names.set("EmbeddedFiles", Object::Dictionary(embedded));
    catalog.set("Names", Object::Dictionary(names));
    // Associated files are a PDF 2.0 feature PDF/A-3 takes over on a PDF 1.7 base.
    tree.version = "1.7".to_owned();
    Ok(())
}

fn escape(value: &str) -> String {
    quick_xml::escape::escape(value).into_owned()
}

/// The XMP packet: PDF/A-3b identification, the Dublin Core, XMP and PDF properties that
/// mirror the information dictionary, the Factur-X properties, and the extension schema
/// description PDF/A requires for the Factur-X namespace.
fn xmp(title: &str, author: &str, date: &str) -> String {
    let (title, author) = (escape(title), escape(author));
    format!(
        r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
   <pdfaid:part>3</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <xmp:CreatorTool>Kontor</xmp:CreatorTool>
   <xmp:CreateDate>{date}</xmp:CreateDate>
   <xmp:ModifyDate>{date}</xmp:ModifyDate>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdf:Producer>Kontor</pdf:Producer>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:fx="urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#">
   <fx:DocumentType>INVOICE</fx:DocumentType>
   <fx:DocumentFileName>{ATTACHMENT_NAME}</fx:DocumentFileName>
   <fx:Version>1.0</fx:Version>
   <fx:ConformanceLevel>EN 16931</fx:ConformanceLevel>
  </rdf:Description>
  <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
   <pdfaExtension:schemas>
    <rdf:Bag>
     <rdf:li rdf:parseType="Resource">
      <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
      <pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>
      <pdfaSchema:prefix>fx</pdfaSchema:prefix>
      <pdfaSchema:property>
       <rdf:Seq>
        {properties}
       </rdf:Seq>
      </pdfaSchema:property>
     </rdf:li>
    </rdf:Bag>
   </pdfaExtension:schemas>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#,
        properties = [
            ("DocumentFileName", "The name of the embedded XML document"),
            ("DocumentType", "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER"),
            ("Version", "The actual version of the standard applying to the embedded XML document"),
            ("ConformanceLevel", "The conformance level of the embedded XML document"),
        ]
        .iter()
        .map(|(name, description)| format!(
            r#"<rdf:li rdf:parseType="Resource"><pdfaProperty:name>{name}</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>{description}</pdfaProperty:description></rdf:li>"#
        ))
        .collect::<Vec<_>>()
        .join("\n        "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_xmp_is_well_formed_and_escapes_the_seller() {
        let packet = xmp("Invoice 2026-000001", "Müller & Söhne <GmbH>", "2026-11-01T00:00:00+00:00");
        assert!(packet.contains("Müller &amp; Söhne &lt;GmbH&gt;"));
        let mut reader = quick_xml::Reader::from_str(&packet);
        let mut depth = 0i32;
        loop {
            match reader.read_event().expect("well-formed XMP") {
                quick_xml::events::Event::Start(_) => depth += 1,
                quick_xml::events::Event::End(_) => depth -= 1,
                quick_xml::events::Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(depth, 0);
        assert_eq!(packet.matches("<rdf:li rdf:parseType=\"Resource\"><pdfaProperty:name>").count(), 4);
    }
}
