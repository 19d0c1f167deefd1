//! Inputs for bench/import.sh, made from the test fixtures:
//! `gen_import OUT ROWS PAGES` writes
//! - `OUT/catalog.xlsx`: ROWS rows (rust_xlsxwriter), dates as Excel dates;
//! - `OUT/bodies/`: one body a row, named by 索引号: six in ten the 公文
//!   .docx, two .html, one .txt (GB18030), one .pdf (LibreOffice's);
//! - `OUT/pages/`: PAGES saved pages, the five layouts in turn (the TRS one
//!   in GB18030), each with its own 索引号 and title; each VSB page shows
//!   an image and each TRS page links a .docx of its own, saved beside them
//!   as wget would, for `import html` to copy to the new site.

use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(fixture(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, out, rows, pages] = args.as_slice() else {
        eprintln!("usage: gen_import OUT ROWS PAGES");
        std::process::exit(2);
    };
    let out = PathBuf::from(out);
    let rows: usize = rows.parse()?;
    let pages: usize = pages.parse()?;
    std::fs::create_dir_all(out.join("bodies"))?;
    catalogue(&out, rows)?;
    saved_pages(&out.join("pages"), pages)?;
    Ok(())
}

fn catalogue(out: &Path, rows: usize) -> Result<(), Box<dyn std::error::Error>> {
    let bodies: [(&str, Vec<u8>); 4] = [
        ("docx", read("bodies/kjj1-2023-00016.docx")),
        ("html", read("bodies/kjj1-2023-00031.html")),
        ("txt", read("bodies/科技活动周总结.txt")),
        ("pdf", read("bodies/kjj1-2023-00030.pdf")),
    ];
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("目录")?;
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    let headers = [
        "序号",
        "索引号",
        "信息名称",
        "发布机构",
        "发文字号",
        "生成日期",
        "发布日期",
        "栏目",
        "有效性",
        "内容概述",
        "主题词",
        "来源",
        "作者",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h)?;
    }
    let columns = ["通知公告", "工作动态", "法定主动公开内容", "政策解读"];
    for i in 0..rows {
        let r = (i + 1) as u32;
        let year = 2015 + (i % 10) as u16;
        let n = i / 10 + 1;
        let index_no = format!("kjj1/{year}-{n:05}");
        let month = (i % 12) as u8 + 1;
        let day = (i % 28) as u8 + 1;
        ws.write_number(r, 0, (i + 1) as f64)?;
        ws.write_string(r, 1, &index_no)?;
        ws.write_string(
            r,
            2,
            format!("武山县科学技术局关于做好{year}年第{n}批科技项目工作的通知"),
        )?;
        ws.write_string(r, 3, "武山县科学技术局")?;
        ws.write_string(r, 4, format!("武科发〔{year}〕{n}号"))?;
        ws.write_datetime_with_format(
            r,
            5,
            rust_xlsxwriter::ExcelDateTime::from_ymd(year, month, day)?,
            &date,
        )?;
        ws.write_datetime_with_format(
            r,
            6,
            rust_xlsxwriter::ExcelDateTime::from_ymd(year, month, day)?,
            &date,
        )?;
        ws.write_string(r, 7, columns[i % columns.len()])?;
        ws.write_string(r, 8, "有效")?;
        ws.write_string(r, 9, "部署科技项目申报、实施和验收工作。")?;
        ws.write_string(r, 10, "科技项目;申报")?;
        ws.write_string(r, 11, "科技局")?;
        ws.write_string(r, 12, "陈楠")?;
        let (ext, bytes) = match i % 10 {
            0..=5 => &bodies[0],
            6 | 7 => &bodies[1],
            8 => &bodies[2],
            _ => &bodies[3],
        };
        std::fs::write(
            out.join("bodies").join(format!("kjj1-{year}-{n:05}.{ext}")),
            bytes,
        )?;
    }
    wb.save(out.join("catalog.xlsx"))?;
    Ok(())
}

fn saved_pages(dir: &Path, count: usize) -> Result<(), Box<dyn std::error::Error>> {
    // (template, its 索引号, its title, the path of copy j).
    type PathOf = fn(usize) -> String;
    let templates: [(&str, &str, &str, PathOf); 5] = [
        (
            "pages/wushan/kjj/xxgk/gzdt/202307/t20230714_1195996.html",
            "kjj1/2023-00026",
            "扎实开展文明单位创建工作",
            |j| format!("wushan/kjj/xxgk/gzdt/202307/t20230714_{j}.html"),
        ),
        (
            "pages/info/1025/3456.htm",
            "kjj1/2023-00041",
            "科技计划项目立项名单的通知",
            |j| format!("info/1025/{j}.htm"),
        ),
        (
            "pages/zwgk/202308/t20230821_778899.html",
            "kjj1/2024-00005",
            "",
            |j| format!("zwgk/202308/t20230821_{j}.html"),
        ),
        (
            "pages/art/2023/9/5/art_1234_5678.html",
            "kjj1/2023-00035",
            "科技特派员工作推进会",
            |j| format!("art/2023/9/5/art_1234_{j}.html"),
        ),
        (
            "pages/kjj/news/20231010.html",
            "",
            "农业科技培训班",
            |j| format!("kjj/news/{j}.html"),
        ),
    ];
    for j in 0..count {
        let (template, index_no, title, path) = &templates[j % templates.len()];
        let mut bytes = read(template);
        let new_index = format!("kjj1/2022-{:05}", j + 1);
        if !index_no.is_empty() {
            bytes = replace(&bytes, index_no.as_bytes(), new_index.as_bytes());
        }
        if !title.is_empty() {
            bytes = replace(
                &bytes,
                title.as_bytes(),
                format!("{title}（{j}）").as_bytes(),
            );
        }
        // The page's own file, as the mirror holds it.
        let own: Option<(&str, String, &str, &str)> = match j % templates.len() {
            1 => Some((
                "ABCD1234_5678",
                format!("ABCD_{j}"),
                "__local/A/1B/2C",
                "pages/__local/A/1B/2C/ABCD1234_5678.png",
            )),
            2 => Some((
                "P020240320551234567890",
                format!("P0{j:020}"),
                "zwgk/202308",
                "pages/zwgk/202308/P020240320551234567890.docx",
            )),
            _ => None,
        };
        if let Some((name, new_name, sub, source)) = own {
            bytes = replace(&bytes, name.as_bytes(), new_name.as_bytes());
            let ext = source.rsplit('.').next().unwrap_or("bin");
            let file = dir.join(sub).join(format!("{new_name}.{ext}"));
            std::fs::create_dir_all(file.parent().expect("a parent"))?;
            std::fs::write(file, read(source))?;
        }
        let file = dir.join(path(j));
        std::fs::create_dir_all(file.parent().expect("a parent"))?;
        std::fs::write(file, bytes)?;
    }
    Ok(())
}

fn replace(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hay.len() + 64);
    let mut i = 0;
    while i < hay.len() {
        if hay[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(hay[i]);
            i += 1;
        }
    }
    out
}
