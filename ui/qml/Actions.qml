import QtQuick

// The screen's buttons: a row at the bottom in portrait, a column at the side in landscape.
// A row shares its width: each button is at most an equal share of `room`, and its label
// wraps or shrinks to fit (KButton), so no button runs off the edge in any language.
Grid {
    id: actions
    property string side: "right"
    property bool row: false  // one row at the side too (under a keypad in landscape)
    readonly property bool inRow: window.portrait || side === "left" || row
    // The width the buttons may take: the screen's in portrait, the side column's otherwise.
    property real room: window.portrait ? parent.width : (inRow ? parent.width - 500 : 460)
    readonly property int shown: {
        var count = 0
        for (var i = 0; i < children.length; ++i)
            if (children[i].visible)
                ++count
        return Math.max(1, count)
    }
    readonly property real share: inRow ? (room - spacing * (shown - 1)) / shown : room
    anchors.bottom: parent.bottom
    // Placed by x, not by anchors switched between orientations: an anchor set back to
    // undefined could leave the column where the last one had put it, over the text.
    x: window.portrait ? (parent.width - width) / 2 : (side === "right" ? parent.width - width : 0)
    // The shown buttons only: a column for a hidden one still took a spacing, and the row
    // ran 28 px past a centred screen's edge.
    columns: inRow ? shown : 1
    spacing: 28
    Component.onCompleted: {
        for (var i = 0; i < children.length; ++i) {
            var button = children[i]
            button.width = Qt.binding(function(b) { return function() { return Math.min(b.implicitWidth, actions.share) } }(button))
        }
    }
}
