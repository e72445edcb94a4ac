import QtQuick

// A large touch button: forwards the press, draws nothing else.
Rectangle {
    id: root
    property alias text: label.text
    // An optional second line in smaller type under the text (a service tile's price).
    property string detail: ""
    property bool primary: false
    property bool active: true
    signal pressed()
    implicitHeight: detail !== "" ? theme.touch + detailLabel.implicitHeight : theme.touch
    implicitWidth: Math.max(320, label.implicitWidth + 80)
    radius: 18
    color: !active ? "#3a4a63" : (primary ? theme.accent : theme.panel)
    border.color: active ? theme.accent : "#55657d"
    border.width: 4
    Theme { id: theme }
    Text {
        id: label
        anchors.fill: parent
        anchors.margins: 12
        anchors.bottomMargin: root.detail !== "" ? detailLabel.implicitHeight + 16 : 12
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        wrapMode: Text.WordWrap
        fontSizeMode: Text.Fit
        // Low enough for a row of three in Kazakh with large text; only a label that does
        // not fit at its size ever gets this small.
        minimumPixelSize: 24
        font.pixelSize: theme.body
        font.bold: true
        color: root.primary && root.active ? theme.accentText : theme.text
    }
    Text {
        id: detailLabel
        visible: root.detail !== ""
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: 12
        anchors.bottomMargin: 16
        horizontalAlignment: Text.AlignHCenter
        wrapMode: Text.WordWrap
        font.pixelSize: theme.small
        color: label.color
        text: root.detail
    }
    MouseArea {
        anchors.fill: parent
        enabled: root.active
        onClicked: root.pressed()
    }
}
