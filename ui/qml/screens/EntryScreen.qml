import QtQuick
import ".."

// Number entry on the on-screen keypad, in the service's mask.
Item {
    id: root
    readonly property bool narrow: !window.portrait && window.width < 1600
    Theme { id: theme }
    Column {
        id: top
        width: window.portrait ? parent.width : parent.width - keypad.width - theme.gap * 2
        spacing: theme.gap
        KText { width: parent.width; font.pixelSize: root.narrow ? theme.body : theme.large; font.bold: true; text: kiosk.session.serviceName }
        KText {
            width: parent.width
            color: theme.muted
            text: kiosk.session.entryPrompt
        }
        Rectangle {
            width: parent.width
            height: theme.touch
            color: theme.panel
            radius: 12
            Text {
                objectName: "accountField"
                anchors.centerIn: parent
                width: parent.width - 40
                horizontalAlignment: Text.AlignHCenter
                fontSizeMode: Text.Fit
                minimumPixelSize: 36
                font.pixelSize: theme.huge
                color: theme.text
                text: kiosk.session.entryShown
            }
        }
        // One fixed place for every message: the keypad below never moves when one appears.
        // In landscape the keypad stands apart at the side: the place takes the height left
        // above the buttons, in smaller type where the window is narrow (1280×1024). With
        // large text two messages may need more than the place: they scroll in it.
        Flickable {
            objectName: "entryMessages"
            width: parent.width
            height: window.portrait ? theme.body * 6 : Math.max(theme.small, root.height - y - theme.touch - theme.gap * 2)
            clip: true
            contentWidth: width
            contentHeight: messages.height
            boundsBehavior: Flickable.StopAtBounds
            Column {
                id: messages
                width: parent.width
                spacing: theme.gap / 2
                KText {
                    objectName: "entryHint"
                    width: parent.width
                    font.pixelSize: root.narrow ? theme.small : theme.body
                    color: theme.accent
                    // A narrow window has room for one message: the newer one says more.
                    visible: kiosk.session.entryHint !== "" && !(root.narrow && (kiosk.session.entryNotice !== "" || kiosk.session.accountError !== ""))
                    text: kiosk.session.entryHint
                }
                KText {
                    objectName: "entryNotice"
                    width: parent.width
                    font.pixelSize: root.narrow ? theme.small : theme.body
                    color: theme.warning
                    visible: kiosk.session.entryNotice !== ""
                    text: kiosk.session.entryNotice
                }
                KText {
                    objectName: "accountError"
                    width: parent.width
                    font.pixelSize: root.narrow ? theme.small : theme.body
                    color: theme.danger
                    visible: kiosk.session.accountError !== ""
                    text: kiosk.session.accountError
                }
            }
        }
    }
    Keypad {
        id: keypad
        keyWidth: root.narrow ? 170 : 220
        keyHeight: root.narrow ? 120 : theme.touch
        // Centred under the field (portrait) or at the right; by x, as an anchor switched
        // back to undefined between orientations could leave the keys over the text.
        x: window.portrait ? (parent.width - width) / 2 : parent.width - width
        anchors.top: window.portrait ? top.bottom : parent.top
        anchors.topMargin: window.portrait ? theme.gap : 0
        onKey: (name) => kiosk.keypad(name)
    }
    Actions {
        side: "left"
        room: top.width
        KButton {
            objectName: "cancelButton"
            text: qsTr("Cancel")
            onPressed: kiosk.cancel()
        }
        KButton {
            objectName: "nextButton"
            primary: true
            text: qsTr("Next")
            onPressed: kiosk.submitAccount()
        }
    }
}
