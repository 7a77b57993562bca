"""The words of the law where the interface quotes it.

Lag (2023:196) om kommuners ansvar för brottsförebyggande arbete, SFS 2023:196, in force
1 July 2023. The quotations below were checked word for word against the statute's text (4 §,
as published in Regeringskansliets rättsdatabaser and on lagen.nu, "Lag (2023:196) om
kommuners ansvar för brottsförebyggande arbete", and in the bill, prop. 2022/23:43, section 2).
Only checked words are quoted; where the interface describes the rest of the law (point 3 of
4 §, the action plan, the coordination function) it uses its own words, without quotation
marks, and names no paragraph it has not checked. A quotation of Swedish law stays Swedish in
every language of the interface.
"""
from __future__ import annotations

ACT = "lagen (2023:196) om kommuners ansvar för brottsförebyggande arbete"

#: 4 §, first sentence.
SECTION_4_DUTY = ("Kommuner ska ta fram en lägesbild över brottsligheten inom kommunens "
                  "geografiska område.")
#: 4 §, what the situation picture shall contain: points 1 and 2 word for word.
SECTION_4_POINT_1 = "en kartläggning av brottsligheten, dess omfattning och konsekvenser"
SECTION_4_POINT_2 = "annan information av betydelse i sammanhanget"


def section_4_quote() -> str:
    """Points 1 and 2 of 4 §, quoted as the statute numbers them."""
    return f"”1. {SECTION_4_POINT_1}, 2. {SECTION_4_POINT_2}”"
