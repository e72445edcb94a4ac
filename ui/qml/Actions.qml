import QtQuick

// The screen's buttons: a row at the bottom in portrait, a column at the side in landscape.
Grid {
    property string side: "right"
    property bool row: false  // one row at the side too (under a keypad in landscape)
    anchors.bottom: parent.bottom
    anchors.horizontalCenter: window.portrait ? parent.horizontalCenter : undefined
    anchors.right: !window.portrait && side === "right" ? parent.right : undefined
    anchors.left: !window.portrait && side === "left" ? parent.left : undefined
    columns: window.portrait || side === "left" || row ? children.length : 1
    spacing: 28
}
