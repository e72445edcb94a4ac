import QtQuick
import ".."

// Thank you: the status, the receipt and operation numbers, whether the receipt was printed.
Item {
    Theme { id: theme }
    Column {
        anchors.centerIn: parent
        width: parent.width * 0.9
        spacing: window.portrait ? theme.gap * 2 : theme.gap
        KText { width: parent.width; horizontalAlignment: Text.AlignHCenter; font.pixelSize: theme.huge; font.bold: true; text: qsTr("Thank you!") }
        KText { objectName: "paymentStatus"; width: parent.width; horizontalAlignment: Text.AlignHCenter; text: kiosk.statusText }
        KText { objectName: "creditedTotal"; width: parent.width; horizontalAlignment: Text.AlignHCenter; text: qsTr("Credited: %1").arg(kiosk.credited) }
        KText { objectName: "receiptNumber"; width: parent.width; horizontalAlignment: Text.AlignHCenter; font.pixelSize: theme.large; color: theme.accent; text: qsTr("Receipt No. %1").arg(kiosk.receiptNumber) }
        KText {
            objectName: "operationNumber"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            visible: kiosk.operationNumber !== ""
            font.pixelSize: theme.body
            font.bold: true
            // One line, shrunk to the width: a number broken mid-group is misread.
            wrapMode: Text.NoWrap
            fontSizeMode: Text.HorizontalFit
            minimumPixelSize: 24
            text: qsTr("Operation No. %1").arg(kiosk.operationNumber)
        }
        KText {
            objectName: "operationHint"
            width: parent.width
            horizontalAlignment: Text.AlignHCenter
            visible: kiosk.operationNumber !== ""
            font.pixelSize: theme.small
            color: theme.muted
            text: qsTr("Keep the operation number: with it the status screen shows this payment and prints its receipt.")
        }
        KText { objectName: "printedText"; width: parent.width; horizontalAlignment: Text.AlignHCenter; text: kiosk.printedText }
        KButton { objectName: "doneButton"; anchors.horizontalCenter: parent.horizontalCenter; primary: true; text: qsTr("Done"); onPressed: kiosk.finish() }
    }
}
