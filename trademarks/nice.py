"""Map a listing's category to Nice classes, so a mark is judged in its own line of goods.

``classes_for_category(category)`` accepts free text ("Soap", "巧克力"), a Google product
category path ("Health & Beauty > Personal Care > Cosmetics > Bath & Body > Bar Soap"), a
Google product category id ("187"), or the id-and-path form of Google's taxonomy file
("187 - Apparel & Accessories > Shoes"). A path is read from its most specific segment up:
the first segment that names anything in the table decides. Unknown categories give an empty
set, which means "no class information": nothing is lowered.

The table (keywords match whole English words, singular or plural, and Chinese substrings):

===== ===========================================================================
class goods
===== ===========================================================================
3     soap, cosmetics, makeup, skin care, shampoo, perfume, beauty / 香皂 化妆品 护肤 香水
5     vitamins, supplements, pharmacy, health / 保健品 药品
9     phones, electronics, headphones, computers, cameras, chargers / 手机 数码 耳机 电脑
14    watches, jewellery/jewelry, necklaces, bracelets / 手表 珠宝 首饰 项链
18    bags, handbags, backpacks, wallets, luggage / 箱包 手提包 背包 钱包
25    shoes, sneakers, apparel, clothing, shirts, dresses, jackets, hats / 鞋 服装 衣服
28    toys, games, sporting goods / 玩具
29-30 food, grocery / 食品; 30 alone: chocolate, candy, coffee, tea, biscuits / 巧克力 糖果 咖啡
32-33 beverages, soft drinks, juice (32); wine, spirits, liquor (33) / 饮料, 酒
===== ===========================================================================

Google ids: 166 Apparel & Accessories (14, 18, 25), 1604 Clothing and 187 Shoes (25),
188 Jewelry and 201 Watches (14), 6551 Handbags, Wallets & Cases (18), 222 Electronics and
267 Mobile Phones (9), 1239 Toys & Games (28), 412 Food, Beverages & Tobacco (29, 30, 32,
33, 34), 469 Health & Beauty (3, 5).
"""

from __future__ import annotations

import functools
import re
from typing import Iterable

from trademarks.models import Mark

_KEYWORDS: dict[int | tuple[int, ...], tuple[str, ...]] = {
    3: ("soap", "cosmetic", "makeup", "make-up", "skin care", "skincare", "shampoo", "perfume",
        "fragrance", "beauty", "body wash", "lotion", "lipstick",
        "香皂", "肥皂", "洗发水", "化妆品", "护肤", "美妆", "香水", "沐浴露", "口红"),
    5: ("vitamin", "supplement", "pharmacy", "health", "diaper", "nappy", "nappies",
        "保健品", "药品", "纸尿裤", "尿不湿"),
    (7, 11): ("appliance", "home appliance", "家电", "电器"),
    8: ("hand tool", "cutlery", "knife", "knives", "刀具", "五金工具"),
    11: ("lamp", "lighting", "bulb", "heater", "air conditioner", "灯具", "台灯", "空调", "取暖器"),
    12: ("automotive", "car accessories", "vehicle", "汽车用品"),
    16: ("stationery", "stationary", "file", "folder", "book", "books", "paper", "文具", "文件夹", "图书"),
    20: ("furniture", "家具"),
    21: ("cookware", "kitchenware", "kitchen", "utensil", "household", "plastic ware", "bathroom ware",
         "tawa", "pan", "pot", "cup", "mug", "bottle", "厨具", "锅具", "餐具", "水杯", "保温杯"),
    24: ("bedding", "towel", "curtain", "床上用品", "毛巾", "窗帘"),
    9: ("phone", "smartphone", "electronic", "electronics", "headphone", "earphone", "earbud",
        "laptop", "computer", "tablet", "camera", "charger",
        "手机", "数码", "电子", "耳机", "电脑", "相机", "充电器"),
    14: ("watch", "jewelry", "jewellery", "necklace", "bracelet", "earring",
         "手表", "腕表", "珠宝", "首饰", "项链", "手链"),
    18: ("bag", "handbag", "backpack", "wallet", "purse", "luggage", "suitcase",
         "箱包", "手提包", "背包", "钱包", "女包", "男包", "挎包"),
    25: ("shoe", "sneaker", "footwear", "apparel", "clothing", "clothes", "shirt", "t-shirt",
         "dress", "jacket", "hoodie", "pants", "jeans", "sock", "hat",
         "鞋", "服装", "衣服", "T恤", "外套", "女装", "男装"),
    28: ("toy", "game", "sporting goods", "hobbies", "doll", "puzzle", "figure", "玩具", "模型"),
    (29, 30): ("food", "grocery", "食品"),
    29: ("fish", "seafood", "meat", "dairy", "海鲜", "肉"),
    30: ("chocolate", "candy", "confectionery", "coffee", "tea", "biscuit", "cookie", "snack",
         "巧克力", "糖果", "咖啡", "茶叶", "零食", "饼干"),
    32: ("beverage", "soft drink", "juice", "soda", "饮料"),
    33: ("wine", "spirit", "liquor", "白酒", "葡萄酒"),
}

GOOGLE_IDS: dict[int, frozenset[int]] = {
    166: frozenset({14, 18, 25}), 1604: frozenset({25}), 187: frozenset({25}),
    188: frozenset({14}), 201: frozenset({14}), 6551: frozenset({18}),
    222: frozenset({9}), 267: frozenset({9}), 1239: frozenset({28}),
    412: frozenset({29, 30, 32, 33, 34}), 469: frozenset({3, 5}),
}


# Compiled on the first category looked up, not at import: the engine imports this module for
# outside_classes, and 200 patterns were a fifth of `listguard check`'s start-up.
@functools.cache
def _table() -> list[tuple[re.Pattern[str], frozenset[int]]]:
    table = []
    for classes, words in _KEYWORDS.items():
        klass = frozenset(classes if isinstance(classes, tuple) else (classes,))
        for word in words:
            if word.isascii():
                pattern = r"(?<![a-z0-9])" + re.escape(word.lower()) + r"(?:s|es)?(?![a-z0-9])"
            else:
                pattern = re.escape(word.lower())
            table.append((re.compile(pattern), klass))
    return table


_ID_FORM = re.compile(r"^\s*(\d+)\s*(?:-\s*(.*))?$", re.S)


def _classes_of_text(text: str) -> frozenset[int]:
    folded = text.casefold()
    found: set[int] = set()
    for pattern, classes in _table():
        if pattern.search(folded):
            found |= classes
    return frozenset(found)


# A catalog names few categories over and over (every row of a Shopify export has its
# "Product category"), and matching one against the table costs about a hundred searches.
@functools.lru_cache(maxsize=4096)
def classes_for_category(category: str | None) -> frozenset[int]:
    """The Nice classes a listing category belongs to; empty when the table does not know it."""
    if not category or not category.strip():
        return frozenset()
    match = _ID_FORM.match(category)
    if match:
        known = GOOGLE_IDS.get(int(match.group(1)))
        if known:
            return known
        category = match.group(2) or ""
    for segment in reversed(re.split(r"\s*(?:>|/|›|»)\s*", category)):
        classes = _classes_of_text(segment)
        if classes:
            return classes
    return frozenset()


def outside_classes(mark: Mark, listing_classes: Iterable[int]) -> bool:
    """True when a hit on ``mark`` should be reported one severity lower: the listing's classes
    and the mark's classes are both known and do not meet, and the mark is not famous."""
    listing = frozenset(listing_classes)
    return bool(listing and mark.classes and not mark.famous and listing.isdisjoint(mark.classes))
