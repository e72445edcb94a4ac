import QtQuick

// Over the idle screen nobody has touched for a minute: "touch the screen to pay" in the
// three languages, the services going by, the notes taken. A touch only takes it away:
// nothing under it starts. Shown only when the view-model says so (never over a session
// or the service menu).
Rectangle {
    id: root
    objectName: "attractScreen"
    color: theme.background
    Theme { id: theme }
    MouseArea {
        objectName: "attractTouch"
        anchors.fill: parent
        onPressed: kiosk.dismissAttract()
    }
    Column {
        anchors.centerIn: parent
        width: parent.width * 0.9
        spacing: theme.gap * 2
        KText {
            objectName: "attractCall"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            font.pixelSize: window.portrait ? theme.huge : theme.large
            font.bold: true
            color: theme.accent
            text: kiosk.guide.attractCall
            lineHeight: 1.2
            // A slow breath: the screen is alive, nothing blinks.
            SequentialAnimation on opacity {
                running: root.visible
                loops: Animation.Infinite
                NumberAnimation { from: 1; to: 0.55; duration: 1600; easing.type: Easing.InOutQuad }
                NumberAnimation { from: 0.55; to: 1; duration: 1600; easing.type: Easing.InOutQuad }
            }
        }
        KText {
            // The services one after another, every two seconds.
            id: names
            objectName: "attractNames"
            property var all: kiosk.guide.attractNames.split(" · ")
            property int shown: 0
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            font.pixelSize: theme.large
            text: all[shown % all.length]
            Timer {
                interval: 2000
                repeat: true
                running: root.visible
                onTriggered: names.shown += 1
            }
        }
        Grid {
            // The notes the acceptor takes, drawn as notes.
            objectName: "attractNotes"
            anchors.horizontalCenter: parent.horizontalCenter
            // Seven notes in a row fit only the wide landscape; 1280×1024 takes two rows.
            columns: window.portrait || window.width < 1600 ? 4 : 7
            spacing: theme.gap / 2
            Repeater {
                model: kiosk.guide.acceptedNotes.split(" · ")
                Rectangle {
                    width: note.implicitWidth + 40
                    height: note.implicitHeight + 20
                    radius: 8
                    color: theme.panel
                    border.color: theme.muted
                    border.width: 2
                    Text {
                        id: note
                        anchors.centerIn: parent
                        text: modelData
                        font.pixelSize: theme.body
                        font.bold: true
                        color: theme.text
                    }
                }
            }
        }
    }
}
