"""Names of the demo city's people and groups (invented; any likeness is coincidence)."""

from __future__ import annotations


def _words(text: str, sep: str | None = None) -> list[str]:
    """A list written as running text (one long list a line would be hundreds of lines)."""
    return [word.strip() for word in text.split(sep)]


FIRST_NAMES_M = _words(
    """
Marcus Darnell Andre Jamal DeShawn Terrell Malik Isaiah Jose Luis Carlos Miguel Juan Angel Adrian
Anthony Michael Christopher David Daniel Kevin Brandon Jordan Tyrone Dominique Xavier Elijah Jalen
Deandre Rashad Khalil Javier Alejandro Fernando Ricardo Eduardo Hector Vu Minh Tuan Sione Tevita
Jermaine Lamar Cedric Demetrius Trevon Quincy Rodney Antoine Omar Samuel Joshua Aaron Nathan Diego
Mario Ramon Victor
"""
)
FIRST_NAMES_F = _words(
    """
Aaliyah Jasmine Destiny Keisha Tiana Brianna Maria Guadalupe Ana Sofia Daniela Alejandra Jessica
Ashley Monique Tanisha Kiara Imani Leticia Rosa Linh Mai Sina Erica Shanice Latoya Vanessa Yesenia
Crystal Nia
"""
)
LAST_NAMES = _words(
    """
Johnson Williams Brown Jones Davis Jackson Harris Robinson Thomas Lewis Walker Young Allen King
Wright Scott Green Baker Adams Nelson Hill Mitchell Carter Roberts Turner Phillips Campbell Parker
Evans Edwards Collins Stewart Morris Rogers Reed Cook Morgan Bell Murphy Bailey Cooper Richardson
Cox Howard Ward Brooks Garcia Martinez Rodriguez Hernandez Lopez Gonzalez Perez Sanchez Ramirez
Torres Flores Rivera Gomez Diaz Cruz Reyes Morales Ortiz Gutierrez Chavez Ramos Ruiz Alvarez
Mendoza Castillo Jimenez Vasquez Romero Nguyen Tran Le Pham Saechao Fifita Tuipulotu Washington
Jefferson Coleman Simmons Foster Bryant Gibson
"""
)
NICKNAMES = _words(
    "Lil Man, Boo, Smoke, Tiny, Red, Scoop, Bam, Dre, Low, June, Peanut, Chico, Flaco, Spider, "
    "Ghost, Rico, Money, Dub",
    ",",
)

GROUP_WORDS = _words(
    """
Alder Birch Cedar Dogwood Elm Fir Hawthorn Juniper Laurel Magnolia Oakmont Pinecrest Quarry Redwood
Sycamore Tamarack Upland Valley Willow Yarrow Acacia Baywood Cypress Driftwood Eastlake Fairmont
Glenview Harbor Ironwood Jadeite Kestrel Lakeview Meadow Northgate Orchard Palisade Ridgeline
Seaview Terrace Underhill Vista Westbrook Bridgeview Coldwater Deepwell Eagle Foxglove Granite
Hilltop Ivory
"""
)
GROUP_SUFFIXES = ["Crew", "Boys", "Mob", "Set", "Family", "Click", "Gang", "Squad"]
GROUPS_PER_AREA = {1: 9, 2: 5, 3: 11, 4: 11, 5: 14}  # 50 groups
