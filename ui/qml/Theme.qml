import QtQuick

// Sizes and colours in one place: high contrast, touch targets >= 15 mm, text >= 4.8 mm.
// The font sizes grow by about a third when the customer asks for large text ("Aa").
QtObject {
    readonly property color background: "#0b1f3a"
    readonly property color panel: "#12315c"
    readonly property color text: "#ffffff"
    readonly property color muted: "#c9d6ea"
    readonly property color accent: "#ffd23f"
    readonly property color accentText: "#0b1f3a"
    readonly property color danger: "#ff8a80"
    readonly property color warning: "#ffb74d"
    // The SimulatorPanel window has no kiosk view-model: its text stays normal.
    readonly property real textScale: typeof kiosk !== "undefined" && kiosk.guide
                                      ? kiosk.guide.textPercent / 100 : 1
    readonly property int touch: 140
    readonly property int small: Math.round(34 * textScale)
    readonly property int body: Math.round(42 * textScale)
    // Headings are large already: they grow less, so the screens still hold everything.
    readonly property real headingScale: 1 + (textScale - 1) / 3
    readonly property int large: Math.round(60 * headingScale)
    readonly property int huge: Math.round(84 * headingScale)
    readonly property int gap: 28
}
