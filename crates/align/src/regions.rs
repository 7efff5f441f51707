//! 行政区划: the regions of Yunnan the bundled plans come from, by code, full name and the
//! short names documents use (楚雄州 for 楚雄彝族自治州), with their parent.
//!
//! A convenience for naming the bundled plans' regions; the full hierarchy with GB/T 2260
//! codes is `data/regions/regions.csv` (the store's). Alignment itself takes codes as given.

use crate::input::Region;

/// A known region: code, full name, the short names plans use, and its parent's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownRegion {
    pub code: &'static str,
    pub name: &'static str,
    pub short_names: &'static [&'static str],
    pub parent: Option<&'static str>,
}

impl KnownRegion {
    pub fn region(&self) -> Region {
        Region::new(self.code, self.name)
    }
}

const P: Option<&str> = Some("530000");

/// 云南省 and its sixteen prefectures (州、市), codes of GB/T 2260.
#[rustfmt::skip]
pub const YUNNAN: &[KnownRegion] = &[
    KnownRegion { code: "530000", name: "云南省", short_names: &["云南", "全省"], parent: None },
    KnownRegion { code: "530100", name: "昆明市", short_names: &["昆明"], parent: P },
    KnownRegion { code: "530300", name: "曲靖市", short_names: &["曲靖"], parent: P },
    KnownRegion { code: "530400", name: "玉溪市", short_names: &["玉溪"], parent: P },
    KnownRegion { code: "530500", name: "保山市", short_names: &["保山"], parent: P },
    KnownRegion { code: "530600", name: "昭通市", short_names: &["昭通"], parent: P },
    KnownRegion { code: "530700", name: "丽江市", short_names: &["丽江"], parent: P },
    KnownRegion { code: "530800", name: "普洱市", short_names: &["普洱"], parent: P },
    KnownRegion { code: "530900", name: "临沧市", short_names: &["临沧"], parent: P },
    KnownRegion { code: "532300", name: "楚雄彝族自治州", short_names: &["楚雄州", "楚雄"], parent: P },
    KnownRegion { code: "532500", name: "红河哈尼族彝族自治州", short_names: &["红河州", "红河"], parent: P },
    KnownRegion { code: "532600", name: "文山壮族苗族自治州", short_names: &["文山州", "文山"], parent: P },
    KnownRegion { code: "532800", name: "西双版纳傣族自治州", short_names: &["西双版纳州", "西双版纳"], parent: P },
    KnownRegion { code: "532900", name: "大理白族自治州", short_names: &["大理州", "大理"], parent: P },
    KnownRegion { code: "533100", name: "德宏傣族景颇族自治州", short_names: &["德宏州", "德宏"], parent: P },
    KnownRegion { code: "533300", name: "怒江傈僳族自治州", short_names: &["怒江州", "怒江"], parent: P },
    KnownRegion { code: "533400", name: "迪庆藏族自治州", short_names: &["迪庆州", "迪庆"], parent: P },
];

/// The known region a document names, by full or short name (楚雄州 → 532300).
pub fn find_region(name: &str) -> Option<&'static KnownRegion> {
    let name = name.trim();
    YUNNAN
        .iter()
        .find(|r| r.name == name || r.short_names.contains(&name))
}

/// The known region with this code.
pub fn region_by_code(code: &str) -> Option<&'static KnownRegion> {
    YUNNAN.iter().find(|r| r.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_the_bundled_plans() {
        assert_eq!(find_region("云南省").unwrap().code, "530000");
        assert_eq!(find_region("楚雄州").unwrap().code, "532300");
        assert_eq!(find_region("楚雄彝族自治州").unwrap().code, "532300");
        assert_eq!(find_region("普洱市").unwrap().code, "530800");
        assert_eq!(find_region("玉溪市").unwrap().parent, Some("530000"));
        assert_eq!(region_by_code("530400").unwrap().name, "玉溪市");
        assert!(find_region("北京市").is_none());
    }
}
