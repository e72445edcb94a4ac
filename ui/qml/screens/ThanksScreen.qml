import QtQuick
import ".."

// Thank you: the status, the receipt number, whether the receipt was printed.
Item {
    Theme { id: theme }
    Column {
        anchors.centerIn: parent
        width: parent.width * 0.9
        spacing: theme.gap * 2
        KText { width: parent.width; horizontalAlignment: Text.AlignHCenter; font.pixelSize: theme.huge; font.bold: true; text: qsTr("Thank you!") }
        KText { objectName: "paymentStatus"; width: parent.width; horizontalAlignment: Text.AlignHCenter; text: kiosk.statusText }
        KText { objectName: "creditedTotal"; width: parent.width; horizontalAlignment: Text.AlignHCenter; text: qsTr("Credited: %1").arg(kiosk.credited) }
        KText { objectName: "receiptNumber"; width: parent.width; horizontalAlignment: Text.AlignHCenter; font.pixelSize: theme.large; color: theme.accent; text: qsTr("Receipt No. %1").arg(kiosk.receiptNumber) }
        KText { objectName: "printedText"; width: parent.width; horizontalAlignment: Text.AlignHCenter; text: kiosk.printedText }
        KButton { objectName: "doneButton"; anchors.horizontalCenter: parent.horizontalCenter; primary: true; text: qsTr("Done"); onPressed: kiosk.finish() }
    }
}
