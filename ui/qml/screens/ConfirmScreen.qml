import QtQuick
import ".."

// The number large, to be confirmed; then the ledger's answer or the error in plain words.
Item {
    Theme { id: theme }
    Column {
        width: window.portrait ? parent.width : parent.width - 500
        // Above the buttons (portrait) or beside them: shrunk to the room when a warning
        // and its long words need more than the short sizes have.
        transformOrigin: Item.TopLeft
        scale: Math.min(1, (window.portrait ? parent.height - screenActions.height - theme.gap : parent.height) / Math.max(1, implicitHeight))
        // Closer together when the warning and its button must fit too (landscape height).
        spacing: kiosk.session.accountWarning !== "" ? theme.gap : theme.gap * 2
        KText { width: parent.width; font.pixelSize: theme.large; font.bold: true; text: kiosk.session.serviceName }
        KText { width: parent.width; color: theme.muted; text: qsTr("Is this number right?") }
        Text {
            objectName: "confirmAccount"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            fontSizeMode: Text.Fit
            minimumPixelSize: 40
            font.pixelSize: theme.huge
            font.bold: true
            color: theme.accent
            text: kiosk.session.account
        }
        KText {
            objectName: "accountWarning"
            width: parent.width
            font.pixelSize: window.portrait ? theme.body : theme.small
            color: theme.warning
            visible: kiosk.session.accountWarning !== ""
            text: kiosk.session.accountWarning
        }
        KText {
            objectName: "warningHint"
            width: parent.width
            font.pixelSize: window.portrait ? theme.body : theme.small
            color: theme.muted
            visible: kiosk.session.warningHint !== ""
            text: kiosk.session.warningHint
        }
        // Beside the warning it answers: the way back to the operator choice (portrait; in
        // landscape it stands with the other buttons, where the height is).
        KButton {
            objectName: window.portrait ? "otherOperatorButton" : "otherOperatorBelow"
            anchors.horizontalCenter: parent.horizontalCenter
            visible: window.portrait && kiosk.session.accountWarning !== ""
            text: qsTr("Another operator")
            active: !kiosk.busy
            onPressed: kiosk.chooseOtherOperator()
        }
        KText {
            width: parent.width
            visible: kiosk.busy
            color: theme.muted
            text: qsTr("Checking the number…")
        }
        KText {
            objectName: "checkError"
            width: parent.width
            color: theme.danger
            visible: kiosk.session.checkError !== ""
            text: kiosk.session.checkError
        }
    }
    Actions {
        id: screenActions
        KButton { objectName: "cancelButton"; text: qsTr("Cancel"); active: !kiosk.busy; onPressed: kiosk.cancel() }
        KButton { objectName: "editButton"; text: qsTr("Change"); active: !kiosk.busy; onPressed: kiosk.editAccount() }
        KButton {
            objectName: window.portrait ? "otherOperatorBeside" : "otherOperatorButton"
            visible: !window.portrait && kiosk.session.accountWarning !== ""
            text: qsTr("Another operator")
            active: !kiosk.busy
            onPressed: kiosk.chooseOtherOperator()
        }
        KButton {
            objectName: "confirmButton"
            primary: true
            active: !kiosk.busy
            text: qsTr("Correct")
            onPressed: kiosk.confirmAccount()
        }
    }
}
