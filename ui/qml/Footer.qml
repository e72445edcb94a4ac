import QtQuick

// Under every customer screen: the terminal number, the support phone (never split: its
// spaces are non-breaking and the line does not wrap) and the kiosk clock. Where the two
// do not fit on one line (portrait), the phone goes to a second line.
Item {
    id: root
    objectName: "footer"
    implicitHeight: Math.max(parts.implicitHeight, clock.implicitHeight) + 6
    Theme { id: theme }
    Rectangle { width: parent.width; height: 2; color: theme.panel }
    Flow {
        id: parts
        anchors.left: parent.left
        anchors.right: clock.left
        anchors.rightMargin: theme.gap
        anchors.bottom: parent.bottom
        spacing: 4
        Text {
            objectName: "footerTerminal"
            rightPadding: theme.gap * 2
            text: qsTr("Terminal %1").arg(kiosk.guide.terminalId)
            wrapMode: Text.NoWrap
            font.pixelSize: theme.small
            color: theme.muted
        }
        Text {
            objectName: "footerSupport"
            text: qsTr("Support: %1").arg(kiosk.guide.supportPhone)
            wrapMode: Text.NoWrap
            font.pixelSize: theme.small
            color: theme.muted
        }
    }
    Text {
        id: clock
        objectName: "footerClock"
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        text: kiosk.guide.clock
        font.pixelSize: theme.small
        font.bold: true
        color: theme.text
    }
}
