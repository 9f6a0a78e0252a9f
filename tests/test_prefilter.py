"""The prefilter's contract: it may flag a listing that turns out clean, never miss one.

The full judgement (``Scanner._check``) is the reference: every listing it finds a problem
in must be flagged by ``flag_listings``, whatever the text.
"""

from __future__ import annotations

from hypothesis import example, given, settings, strategies as st

from scanner.core.models import Listing
from scanner.core.prefilter import flag_listings

# Pieces that make problems (marks, disguised marks, cues) and pieces that make them hard to
# see (separators, leet, look-alikes, width and case changes, invisible characters).
WORDS = ["Nike", "nike", "NIKE", "N1ke", "N-i-k-e", "Nіke", "耐克", "耐-克", "耐 克", "Ｎｉｋｅ", "Ni\u200bke",
         "Apple", "apple", "苹果", "苹果汁", "Gucci", "G.U.C.C.I", "LV", "lv", "L V", "香奶奶", "Chanel",
         "高仿", "replica", "1:1", "同款", "style", "compatible with", "适用于", "别家", "都是假货",
         "other sellers", "sell fakes", "正品", "authentic", "not", "非", "designer", "名牌",
         "shoes", "运动鞋", "新款", "bag", " ", "  ", "-", ".", "/", "，", "İ", "ß", "\u0301", "3", "0", "@"]
titles = st.lists(st.sampled_from(WORDS), max_size=8).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(titles, min_size=1, max_size=6))
@example(["N-i-k-e running shoes", "别家都是假货", "Adidas 高仿", "plain cotton shirt"])
def test_prefilter_never_misses_a_listing_the_judgement_reports(small_scanner, batch):
    listings = [Listing(str(i), {"title": title}) for i, title in enumerate(batch)]
    flagged = flag_listings(small_scanner.index, listings)
    for i, listing in enumerate(listings):
        problems = small_scanner._check(listing)
        if problems:
            assert i in flagged, listing.fields["title"]
            # Judged from the prefilter's own walk, the listing gets the same problems.
            assert small_scanner._check(listing, flagged[i]) == problems


def test_prefilter_passes_clean_listings(small_scanner):
    listings = [Listing("a", {"title": "plain cotton shirt"}), Listing("b", {"title": "Nike shoes"}),
                Listing("c", {"title": "snikers and dioramas"}), Listing("d", {"title": "N1ke shoes"})]
    assert set(flag_listings(small_scanner.index, listings)) == {1, 3}
