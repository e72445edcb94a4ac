import QtQuick

// Sizes and colours in one place: high contrast, touch targets >= 15 mm, text >= 4.8 mm.
QtObject {
    readonly property color background: "#0b1f3a"
    readonly property color panel: "#12315c"
    readonly property color text: "#ffffff"
    readonly property color muted: "#c9d6ea"
    readonly property color accent: "#ffd23f"
    readonly property color accentText: "#0b1f3a"
    readonly property color danger: "#ff8a80"
    readonly property color warning: "#ffb74d"
    readonly property int touch: 140
    readonly property int small: 34
    readonly property int body: 42
    readonly property int large: 60
    readonly property int huge: 84
    readonly property int gap: 28
}
