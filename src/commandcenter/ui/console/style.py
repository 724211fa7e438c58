"""The console in the wall's dark palette, readable at 03:00: text at least 12 pt, large targets."""

from __future__ import annotations

from commandcenter.ui import theme

POINT = 12  # base text size (pt); headings and the banner are larger

STYLE = f"""
QWidget {{ background: {theme.BG.name()}; color: {theme.TEXT.name()}; font-family: "{theme.FAMILY}";
          font-size: {POINT}pt; }}
QGroupBox {{ border: 1px solid {theme.CARD_EDGE.name()}; border-radius: 6px; margin-top: 1.4em;
            padding: 6px; background: {theme.CARD.name()}; font-weight: bold; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 10px; padding: 0 4px; color: {theme.MUTED.name()}; }}
QGroupBox QWidget {{ background: {theme.CARD.name()}; font-weight: normal; }}
QPushButton {{ background: #1e293b; border: 1px solid #334155; border-radius: 5px; padding: 6px 12px;
              min-height: 1.6em; }}
QPushButton:hover {{ background: #273449; }}
QPushButton:pressed {{ background: #0f172a; }}
QPushButton:disabled {{ color: {theme.FAINT.name()}; border-color: #1f2a3c; }}
QListWidget, QTableWidget, QPlainTextEdit, QLineEdit, QComboBox, QSpinBox, QDateTimeEdit {{
    background: #0b1220; border: 1px solid #334155; selection-background-color: #1d4ed8;
    selection-color: white; }}
QHeaderView::section {{ background: #1e293b; color: {theme.MUTED.name()}; border: none; padding: 4px; }}
QTabBar::tab {{ background: #1e293b; padding: 6px 14px; border-top-left-radius: 5px;
               border-top-right-radius: 5px; }}
QTabBar::tab:selected {{ background: #334155; }}
QLabel#banner {{ font-size: {POINT + 2}pt; font-weight: bold; padding: 8px 12px; border-radius: 6px; }}
QLabel#consoleStatus {{ font-size: {POINT + 1}pt; padding: 4px; }}
QLabel#counts {{ font-size: {POINT + 1}pt; }}
QLabel#toast {{ background: #14532d; color: white; padding: 6px 10px; border-radius: 5px; }}
"""

BANNER_BAD = "background: #7f1d1d; color: white;"
BANNER_WARN = "background: #78350f; color: white;"
BANNER_OK = "background: #14532d; color: white;"
