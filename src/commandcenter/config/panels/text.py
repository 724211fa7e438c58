"""text: a fixed announcement."""

from pydantic import Field

from commandcenter.config.panels.base import PanelKind, PanelOptions


class TextOptions(PanelOptions):
    text: str = Field("", description="the text shown (Bahasa Indonesia)", examples=["Rapat pimpinan pukul 09.00"])
    text_en: str | None = Field(None, description="the text when the wall is in English; default: `text`")


KIND = PanelKind(
    name="text", options=TextOptions,
    description="A fixed announcement text.",
    example={"id": "pengumuman", "type": "text", "cell": [0, 9, 18, 3], "title": "Pengumuman",
             "options": {"text": "Rapat pimpinan pukul 09.00", "text_en": "Leadership meeting at 09:00"}},
)
