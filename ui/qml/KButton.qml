import QtQuick

// A large touch button: forwards the press, draws nothing else.
Rectangle {
    id: root
    property alias text: label.text
    property bool primary: false
    property bool active: true
    signal pressed()
    implicitHeight: theme.touch
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
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        wrapMode: Text.WordWrap
        fontSizeMode: Text.Fit
        minimumPixelSize: 30
        font.pixelSize: theme.body
        font.bold: true
        color: root.primary && root.active ? theme.accentText : theme.text
    }
    MouseArea {
        anchors.fill: parent
        enabled: root.active
        onClicked: root.pressed()
    }
}
