import QtQuick
import ".."

// Payment status by the receipt number or the operation number printed on the receipt.
Item {
    id: status
    // 1280×1024: the keypad at the side in smaller keys, so the field and the answer keep
    // a column wide enough to read.
    readonly property bool narrow: !window.portrait && window.width < 1600
    readonly property bool byReceipt: kiosk.status.mode === "receipt"
    Theme { id: theme }
    Column {
        id: top
        width: window.portrait ? parent.width : parent.width - keypad.width - theme.gap * 2
        spacing: status.narrow ? theme.gap / 2 : theme.gap
        // Beside the keypad (landscape) a long answer shrinks to the room above the buttons
        // (portrait keeps it: the keypad hangs under it and must not move).
        transformOrigin: Item.TopLeft
        // The buttons' row stands under the keypad when there is room: then the whole height.
        readonly property real room: statusActions.x >= width + theme.gap ? parent.height
                                     : parent.height - statusActions.height - theme.gap
        scale: window.portrait ? 1 : Math.min(1, room / Math.max(1, implicitHeight))
        KText { width: parent.width; font.pixelSize: status.narrow ? theme.body : theme.large; font.bold: true; text: qsTr("Payment status") }
        Row {
            id: modes
            spacing: theme.gap
            KButton {
                objectName: "statusByReceipt"
                width: Math.min(implicitWidth, (top.width - modes.spacing) / 2)
                primary: kiosk.status.mode === "receipt"
                text: qsTr("Receipt No.")
                onPressed: kiosk.setStatusMode("receipt")
            }
            KButton {
                objectName: "statusByOperation"
                width: Math.min(implicitWidth, (top.width - modes.spacing) / 2)
                primary: kiosk.status.mode === "operation"
                text: qsTr("Operation No.")
                onPressed: kiosk.setStatusMode("operation")
            }
        }
        KText {
            width: parent.width
            color: theme.muted
            font.pixelSize: status.narrow ? theme.small : theme.body
            text: kiosk.status.asksAmount ? qsTr("No. %1: now enter the amount you inserted, in tenge").arg(kiosk.status.digits)
                  : kiosk.status.mode === "receipt" ? qsTr("Enter the receipt number")
                  : qsTr("Enter the whole operation number from the receipt or the end-of-payment screen")
        }
        Rectangle {
            width: parent.width
            height: theme.touch
            color: theme.panel
            radius: 12
            Text {
                objectName: "statusField"
                anchors.fill: parent
                anchors.margins: 12
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
                fontSizeMode: Text.Fit
                minimumPixelSize: status.narrow ? 18 : 30
                font.pixelSize: theme.huge
                color: theme.text
                text: kiosk.status.asksAmount ? kiosk.status.amount + " ₸"
                      : kiosk.status.digits === "" ? "№" : "№ " + kiosk.status.digits
            }
        }
        KText { objectName: "statusAnswer"; width: parent.width; font.pixelSize: status.narrow ? theme.small : theme.body; color: theme.accent; text: kiosk.status.answer; visible: kiosk.status.answer !== "" }
    }
    Keypad {
        id: keypad
        namePrefix: "status"
        keys: kiosk.status.mode === "receipt"
              ? ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"]
              : ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0", "a", "b", "c", "d", "e", "f", "clear", "back"]
        columns: kiosk.status.mode === "receipt" ? 3 : 6
        keyWidth: status.narrow ? (status.byReceipt ? 150 : 100) : (status.byReceipt ? 220 : 150)
        keyHeight: status.narrow ? 110 : theme.touch
        spacing: status.narrow ? 12 : 18
        // Centred under the field (portrait) or at the right; by x, as an anchor switched
        // back to undefined between orientations could leave the keys over the text.
        x: window.portrait ? (parent.width - width) / 2 : parent.width - width
        anchors.top: window.portrait ? top.bottom : parent.top
        anchors.topMargin: window.portrait ? theme.gap : 0
        onKey: (name) => kiosk.statusKey(name)
    }
    Actions {
        id: statusActions
        side: "right"
        row: true
        KButton { objectName: "backButton"; text: qsTr("Back"); onPressed: kiosk.showPage("idle") }
        KButton { objectName: "reprintButton"; visible: kiosk.status.canReprint; text: qsTr("Print the receipt"); onPressed: kiosk.reprintReceipt() }
        KButton { objectName: "lookUpButton"; primary: true; text: qsTr("Check"); onPressed: kiosk.lookUpStatus() }
    }
}
