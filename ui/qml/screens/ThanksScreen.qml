import QtQuick
import ".."

// Thank you: the status, the receipt and operation numbers, the receipt's QR code, whether
// the receipt was printed. Portrait stacks everything; landscape puts the code beside the
// numbers so that the Done button stays on the screen.
Item {
    id: thanks
    Theme { id: theme }
    readonly property bool hasQr: kiosk.receipt.operationQr !== ""
    readonly property bool held: kiosk.receipt.endingState === "held"
    readonly property bool narrow: !window.portrait && window.width < 1600  // 1280×1024
    readonly property int qrSide: window.portrait ? 280 : (narrow ? 180 : 220)
    // Beside the numbers (landscape) the code's hint needs room for its longest word.
    // Large text widens it as much as the text grows (the kk hint's longest word).
    readonly property int qrColumn: window.portrait ? page.width : Math.round((narrow ? 340 : 380) * theme.textScale)
    // The longest endings (held for refund, below the minimum) in smaller type rather than
    // past the language bar or under the footer; with large text never smaller than normal
    // text: what is left over scrolls (the Done button at the end of it).
    readonly property real fit: Math.min(1, scroller.height / Math.max(1, page.implicitHeight))
    readonly property real floor: theme.textScale > 1 ? 1 / theme.textScale : 0
    Flickable {
        id: scroller
        objectName: "thanksScroll"
        anchors.top: parent.top
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: doneButton.top
        anchors.bottomMargin: theme.gap / 2
        clip: true
        contentWidth: width
        contentHeight: Math.max(height, page.implicitHeight * page.scale)
        boundsBehavior: Flickable.StopAtBounds
    Column {
        id: page
        x: (scroller.width - width) / 2
        y: Math.max(0, (scroller.height - implicitHeight * scale) / 2)
        width: thanks.width * 0.9
        transformOrigin: Item.Top
        scale: Math.max(thanks.floor, thanks.fit)
        // Everything fits between the language bar and the bottom, the Done button too, with
        // the status's longest words (held for refund, the phone to call) and the amounts.
        spacing: window.portrait ? theme.gap : (thanks.narrow ? 4 : 8)
        KText { width: parent.width; horizontalAlignment: Text.AlignHCenter; font.pixelSize: window.portrait ? theme.large : theme.body; font.bold: true; text: qsTr("Thank you!") }
        Grid {
            anchors.horizontalCenter: parent.horizontalCenter
            columns: window.portrait || !thanks.hasQr ? 1 : 2
            spacing: page.spacing
            verticalItemAlignment: Grid.AlignVCenter
            Column {
                id: numbers
                width: window.portrait || !thanks.hasQr ? page.width : page.width - thanks.qrColumn - page.spacing
                spacing: page.spacing
                // The truth known now: being credited, credited, or held for a refund; it
                // changes on screen when the ledger's answer arrives.
                KText {
                    objectName: "paymentStatus"
                    width: parent.width
                    font.pixelSize: thanks.narrow ? theme.small : theme.body
                    horizontalAlignment: Text.AlignHCenter
                    font.bold: true
                    color: kiosk.receipt.endingState === "held" ? theme.danger : kiosk.receipt.endingState === "credited" ? theme.accent : theme.text
                    text: kiosk.receipt.statusText
                }
                Grid {
                    objectName: "paymentAmounts"
                    anchors.horizontalCenter: parent.horizontalCenter
                    // Never into the QR code's column (large text at 1280×1024): smaller.
                    scale: Math.min(1, parent.width / Math.max(1, implicitWidth))
                    // Portrait: one pair a row; landscape: two pairs a row (height is short),
                    // one with large text (two would run into the QR code's column).
                    columns: window.portrait || thanks.narrow || theme.textScale > 1 ? 2 : 4
                    rowSpacing: 4
                    columnSpacing: theme.gap
                    KText { font.pixelSize: theme.small; color: theme.muted; text: qsTr("Account") }
                    KText { objectName: "paidAccount"; font.pixelSize: theme.small; wrapMode: Text.NoWrap; text: kiosk.receipt.account }
                    KText { font.pixelSize: theme.small; color: theme.muted; text: qsTr("Inserted") }
                    KText { objectName: "paidInserted"; font.pixelSize: theme.small; wrapMode: Text.NoWrap; text: kiosk.receipt.inserted }
                    // Held for a refund: the ledger takes no commission and credits nothing.
                    KText { visible: !thanks.held; font.pixelSize: theme.small; color: theme.muted; text: qsTr("Commission") }
                    KText { objectName: "paidCommission"; visible: !thanks.held; font.pixelSize: theme.small; wrapMode: Text.NoWrap; text: kiosk.receipt.commission }
                    KText { font.pixelSize: theme.small; color: theme.muted; text: thanks.held ? qsTr("Held for refund") : kiosk.receipt.endingState === "credited" ? qsTr("Credited") : qsTr("To be credited") }
                    KText { objectName: "creditedTotal"; font.pixelSize: theme.small; font.bold: true; wrapMode: Text.NoWrap; text: thanks.held ? kiosk.receipt.inserted : kiosk.receipt.credited }
                }
                KText { objectName: "receiptNumber"; width: parent.width; horizontalAlignment: Text.AlignHCenter; font.pixelSize: window.portrait ? theme.large : theme.body; font.bold: !window.portrait; color: theme.accent; text: qsTr("Receipt No. %1").arg(kiosk.receipt.receiptNumber) }
                KText {
                    objectName: "operationNumber"
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    visible: kiosk.receipt.operationNumber !== ""
                    font.pixelSize: theme.body
                    font.bold: true
                    // One line, shrunk to the width: a number broken mid-group is misread.
                    wrapMode: Text.NoWrap
                    fontSizeMode: Text.HorizontalFit
                    minimumPixelSize: 18
                    text: qsTr("Operation No. %1").arg(kiosk.receipt.operationNumber)
                }
                KText {
                    objectName: "operationHint"
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    // 1280×1024 has no height for it: the number and the QR code stay.
                    visible: kiosk.receipt.operationNumber !== "" && !thanks.narrow
                    font.pixelSize: theme.small
                    color: theme.muted
                    text: qsTr("Keep the operation number: with it the status screen shows this payment and prints its receipt.")
                }
            }
            Column {
                visible: thanks.hasQr
                width: thanks.qrColumn
                spacing: theme.gap / 2
                Image {
                    objectName: "operationQr"
                    anchors.horizontalCenter: parent.horizontalCenter
                    // Whole-pixel modules on white: a phone reads it off the screen like the
                    // receipt's.
                    width: thanks.qrSide
                    height: thanks.qrSide
                    sourceSize: Qt.size(thanks.qrSide, thanks.qrSide)
                    fillMode: Image.PreserveAspectFit
                    smooth: false
                    cache: false
                    source: thanks.hasQr ? "image://qr/" + encodeURIComponent(kiosk.receipt.operationQr) : ""
                }
                KText {
                    objectName: "operationQrHint"
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    font.pixelSize: theme.small
                    color: theme.muted
                    text: qsTr("Scan the code with your phone to check this payment later.")
                }
            }
        }
        KText { objectName: "printedText"; width: parent.width; horizontalAlignment: Text.AlignHCenter; text: kiosk.receipt.printedText }
    }
    }
    // Below the page, never scrolled away: the way out is always in view.
    KButton { id: doneButton; objectName: "doneButton"; anchors.horizontalCenter: parent.horizontalCenter; anchors.bottom: parent.bottom; primary: true; text: qsTr("Done"); onPressed: kiosk.finish() }
}
