import QtQuick

// The screen's buttons: a row at the bottom in portrait, a column at the side in landscape.
Grid {
    property string side: "right"
    anchors.bottom: parent.bottom
    anchors.horizontalCenter: window.portrait ? parent.horizontalCenter : undefined
    anchors.right: !window.portrait && side === "right" ? parent.right : undefined
    anchors.left: !window.portrait && side === "left" ? parent.left : undefined
    columns: window.portrait || side === "left" ? children.length : 1
    spacing: 28
}
