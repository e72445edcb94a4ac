import QtQuick
import ".."

// The checked account: holder (masked), offline notice, minimum; then insert cash.
Item {
    Theme { id: theme }
    Column {
        width: window.portrait ? parent.width : parent.width - 500
        // Above the buttons (portrait) or beside them: shrunk to the room when a warning
        // and its long words need more than the short sizes have.
        transformOrigin: Item.TopLeft
        scale: Math.min(1, (window.portrait ? parent.height - screenActions.height - theme.gap : parent.height) / Math.max(1, implicitHeight))
        // Landscape is short: the price, the no-refund rule, a receipt warning and its button must fit.
        spacing: window.portrait ? theme.gap * 2 : (window.width >= 1600 ? theme.gap / 2 : 8)
        KText { width: parent.width; font.pixelSize: theme.large; font.bold: true; text: kiosk.session.serviceName }
        Text {
            objectName: "checkedAccount"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            fontSizeMode: Text.Fit
            minimumPixelSize: 40
            font.pixelSize: window.portrait || window.width >= 1600 ? theme.huge : theme.large
            color: theme.accent
            text: kiosk.session.account
        }
        KText {
            objectName: "holderName"
            width: parent.width
            visible: kiosk.session.holder !== ""
            text: qsTr("Recipient: %1").arg(kiosk.session.holder)
        }
        KText {
            width: parent.width
            visible: kiosk.session.checkedOffline
            color: theme.warning
            text: qsTr("The number could not be checked online: it was checked by its format only.")
        }
        KText { width: parent.width; text: qsTr("Minimum payment: %1").arg(kiosk.session.minAmount) }
        // The price before the cash: the whole rule and no refund, before any note goes in.
        KText { objectName: "checkedCommissionRule"; width: parent.width; font.pixelSize: window.portrait ? theme.body : theme.small; text: kiosk.session.commissionRule }
        KText { objectName: "checkedNoChange"; width: parent.width; font.pixelSize: window.portrait ? theme.body : theme.small; font.bold: true; text: kiosk.session.noChangeText }
        Rectangle {
            objectName: "receiptWarning"
            visible: kiosk.receipt.receiptChoice
            width: parent.width
            height: warning.implicitHeight + theme.gap * 2
            radius: 12
            color: theme.panel
            border.color: theme.warning
            border.width: 4
            Column {
                id: warning
                x: theme.gap; y: theme.gap
                width: parent.width - theme.gap * 2
                spacing: window.portrait ? theme.gap / 2 : 6
                KText { width: parent.width; font.bold: true; color: theme.warning; text: kiosk.receipt.receiptProblem }
                KText { width: parent.width; text: kiosk.receipt.withoutReceiptText }
                KButton {
                    objectName: "withoutReceiptButton"
                    anchors.right: parent.right
                    width: Math.min(implicitWidth, parent.width)
                    primary: true
                    text: qsTr("Pay without a receipt")
                    onPressed: kiosk.startCashWithoutReceipt()
                }
            }
        }
    }
    Actions {
        id: screenActions
        KButton { objectName: "cancelButton"; text: qsTr("Cancel"); onPressed: kiosk.cancel() }
        KButton { objectName: "editButton"; text: qsTr("Change"); onPressed: kiosk.editAccount() }
        KButton {
            objectName: "insertCashButton"
            visible: !kiosk.receipt.receiptChoice
            primary: true
            text: qsTr("Insert cash")
            onPressed: kiosk.startCash()
        }

    }
}
